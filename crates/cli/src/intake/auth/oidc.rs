//! The relying party's two protocol steps with the `openidconnect` crate: the authorization
//! request (code flow with PKCE S256, state and nonce) and, on the callback, the code
//! exchange, the ID token's checks (signature, issuer, audience, expiry, nonce) and the
//! userinfo request whose claims [`kaifang_core::identity::map_claims`] reads.

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreProviderMetadata};
use openidconnect::{
    AccessToken, AdditionalClaims, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::sync::OnceCell;

use super::config::Checked;
use crate::intake::session::PendingLogin;

/// Every claim the provider sent, as JSON: the claim names are configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct AllClaims {
    #[serde(flatten)]
    all: Map<String, Value>,
}
impl AdditionalClaims for AllClaims {}

/// The provider as discovered once (lazily: the intake starts even while the provider
/// is down; sign-in then answers that it is unavailable until it is back).
pub struct Provider {
    config: Checked,
    metadata: OnceCell<CoreProviderMetadata>,
    http: openidconnect::reqwest::Client,
}

/// The client built from discovered metadata: the authorization endpoint is known, the
/// token and userinfo endpoints are whatever the provider published.
type Client =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// The first leg of a login: where to send the browser, the `state` it comes back with,
/// and what to remember under that state until it does.
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub login: PendingLogin,
}

/// A sign-in that could not be completed, with its reason for the log.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the identity provider is unreachable or misconfigured: {0}")]
    Provider(String),
    #[error("the identity provider refused: {0}")]
    Refused(String),
}

impl Provider {
    pub fn new(config: Checked) -> anyhow::Result<Provider> {
        // No redirects: a token endpoint that redirects elsewhere is not followed (SSRF).
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(15))
            .build()?;
        Ok(Provider { config, metadata: OnceCell::new(), http })
    }

    pub fn config(&self) -> &Checked {
        &self.config
    }

    async fn metadata(&self) -> Result<&CoreProviderMetadata, OidcError> {
        self.metadata
            .get_or_try_init(|| async {
                let issuer =
                    IssuerUrl::new(self.config.raw.issuer.clone()).map_err(|e| OidcError::Provider(e.to_string()))?;
                CoreProviderMetadata::discover_async(issuer, &self.http)
                    .await
                    .map_err(|e| OidcError::Provider(format!("discovery: {e}")))
            })
            .await
    }

    fn redirect_url(&self) -> String {
        format!("{}/auth/callback", self.config.origin)
    }

    /// The client as registered with the provider; both legs of a login use the same one.
    async fn client(&self) -> Result<Client, OidcError> {
        let metadata = self.metadata().await?.clone();
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.raw.client_id.clone()),
            self.config.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(RedirectUrl::new(self.redirect_url()).map_err(|e| OidcError::Provider(e.to_string()))?))
    }

    /// Where to send the browser, and what to remember until it comes back (keyed by state).
    pub async fn start(&self, return_to: String) -> Result<Authorization, OidcError> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .set_pkce_challenge(challenge);
        for scope in self.config.raw.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.url();
        let login = PendingLogin { pkce_verifier: verifier.secret().clone(), nonce: nonce.secret().clone(), return_to };
        Ok(Authorization { url: url.to_string(), state: state.secret().clone(), login })
    }

    /// Exchanges the code and answers the verified subject's claims.
    pub async fn finish(&self, code: String, login: &PendingLogin) -> Result<Map<String, Value>, OidcError> {
        let client = self.client().await?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| OidcError::Provider(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(login.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Refused(format!("token exchange: {e}")))?;
        let id_token =
            tokens.id_token().ok_or_else(|| OidcError::Refused("no ID token in the token response".into()))?;
        let claims = id_token
            .claims(&client.id_token_verifier(), &Nonce::new(login.nonce.clone()))
            .map_err(|e| OidcError::Refused(format!("ID token: {e}")))?;
        let subject = claims.subject().clone();
        let access: AccessToken = tokens.access_token().clone();
        let info: UserInfoClaims<AllClaims, CoreGenderClaim> = client
            .user_info(access, Some(subject.clone()))
            .map_err(|e| OidcError::Provider(e.to_string()))?
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Refused(format!("userinfo: {e}")))?;
        // Standard claims (name, email, …) are read into typed fields and the rest into
        // `AllClaims`; written back out, they make one map again, whatever names the
        // configuration uses.
        let mut all = match serde_json::to_value(&info) {
            Ok(Value::Object(m)) => m,
            _ => info.additional_claims().all.clone(),
        };
        // The subject the ID token vouches for (userinfo's was checked to be the same).
        all.insert("sub".into(), Value::String(subject.as_str().to_string()));
        Ok(all)
    }
}
