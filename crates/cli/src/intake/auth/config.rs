//! The `[sign_in]` section of the intake's configuration file: which identity provider,
//! which client, where this service is reached, and how claims and groups are read
//! (`docs/sign-in.md` has a commented example).

use kaifang_core::identity::{ClaimNames, GroupRules};
use serde::Deserialize;

/// How the intake signs people in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInConfig {
    /// The provider's issuer URL (its discovery document is at
    /// `<issuer>/.well-known/openid-configuration`).
    pub issuer: String,
    pub client_id: String,
    /// Confidential clients; `client_secret_env` names an environment variable instead.
    #[serde(default)]
    pub client_secret: Option<String>,
    #[serde(default)]
    pub client_secret_env: Option<String>,
    /// Where people reach this service (`https://data.example.gov.cn`); the callback is
    /// `<public_url>/auth/callback` and must be registered with the provider.
    pub public_url: String,
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// How long a session lasts from sign-in, in minutes (then the person signs in again).
    #[serde(default = "default_session_minutes")]
    pub session_minutes: u32,
    /// Development and tests on `http://127.0.0.1`/`localhost` only: cookies without
    /// `Secure`. Refused for any other address.
    #[serde(default)]
    pub insecure_cookies_on_loopback: bool,
    #[serde(default)]
    pub claims: ClaimNames,
    #[serde(default)]
    pub groups: GroupRules,
}

fn default_scopes() -> Vec<String> {
    vec!["openid".into(), "profile".into(), "email".into()]
}

fn default_session_minutes() -> u32 {
    8 * 60
}

/// The same configuration, checked: everything a request needs is known to be valid.
#[derive(Debug, Clone)]
pub struct Checked {
    pub raw: SignInConfig,
    pub client_secret: Option<String>,
    /// `<public_url>` without a trailing slash, e.g. `https://data.example.gov.cn`.
    pub origin: String,
    pub secure_cookies: bool,
}

impl SignInConfig {
    /// Refuses what would make sign-in unsafe or unreachable, with what to change.
    pub fn check(self) -> anyhow::Result<Checked> {
        let issuer = url_of("issuer", &self.issuer)?;
        let _ = issuer;
        let public = url_of("public_url", &self.public_url)?;
        if public.path() != "/" || public.query().is_some() {
            anyhow::bail!(
                "sign_in.public_url must be an origin such as https://data.example.gov.cn (no path), got {:?}",
                self.public_url
            );
        }
        let loopback = matches!(public.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
        let secure_cookies = match (public.scheme(), self.insecure_cookies_on_loopback) {
            ("https", _) => true,
            ("http", true) if loopback => false,
            ("http", true) => anyhow::bail!("sign_in.insecure_cookies_on_loopback is only allowed when public_url is http://127.0.0.1 or http://localhost"),
            // Browsers treat loopback as a secure context, so Secure cookies work there too.
            ("http", false) if loopback => true,
            _ => anyhow::bail!("sign_in.public_url must be https:// (session cookies are Secure), got {:?}", self.public_url),
        };
        if self.client_id.trim().is_empty() {
            anyhow::bail!("sign_in.client_id is empty");
        }
        if !self.scopes.iter().any(|s| s == "openid") {
            anyhow::bail!("sign_in.scopes must include \"openid\"");
        }
        if !(5..=7 * 24 * 60).contains(&self.session_minutes) {
            anyhow::bail!("sign_in.session_minutes must be between 5 and 10080 (a week), got {}", self.session_minutes);
        }
        let client_secret = match (&self.client_secret, &self.client_secret_env) {
            (Some(_), Some(_)) => anyhow::bail!("give sign_in.client_secret or sign_in.client_secret_env, not both"),
            (Some(s), None) => Some(s.clone()),
            (None, Some(var)) => Some(
                std::env::var(var)
                    .map_err(|_| anyhow::anyhow!("sign_in.client_secret_env names {var}, which is not set"))?,
            ),
            (None, None) => None,
        };
        let origin = self.public_url.trim_end_matches('/').to_string();
        Ok(Checked { raw: self, client_secret, origin, secure_cookies })
    }
}

fn url_of(what: &str, s: &str) -> anyhow::Result<openidconnect::url::Url> {
    let u =
        openidconnect::url::Url::parse(s).map_err(|e| anyhow::anyhow!("sign_in.{what} is not a URL ({e}): {s:?}"))?;
    if !matches!(u.scheme(), "http" | "https") {
        anyhow::bail!("sign_in.{what} must be an http(s) URL, got {s:?}");
    }
    Ok(u)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(public_url: &str, insecure: bool) -> SignInConfig {
        toml::from_str(&format!(
            "issuer = \"http://127.0.0.1:9000\"\nclient_id = \"kaifang\"\npublic_url = \"{public_url}\"\ninsecure_cookies_on_loopback = {insecure}\n"
        ))
        .unwrap()
    }

    #[test]
    fn cookies_are_secure_unless_overridden_on_loopback_only() {
        assert!(config("https://data.example.gov.cn", false).check().unwrap().secure_cookies);
        assert!(config("http://127.0.0.1:8080", false).check().unwrap().secure_cookies);
        assert!(!config("http://127.0.0.1:8080", true).check().unwrap().secure_cookies);
        assert!(config("http://data.example.gov.cn", false).check().is_err());
        assert!(config("http://data.example.gov.cn", true).check().is_err());
        assert!(config("https://data.example.gov.cn/portal", false).check().is_err());
    }

    #[test]
    fn unknown_keys_and_a_missing_openid_scope_are_refused() {
        assert!(toml::from_str::<SignInConfig>(
            "issuer = \"x\"\nclient_id = \"k\"\npublic_url = \"https://a\"\nsecret = \"s\""
        )
        .is_err());
        let mut c = config("https://a.example", false);
        c.scopes = vec!["profile".into()];
        assert!(c.check().is_err());
    }
}
