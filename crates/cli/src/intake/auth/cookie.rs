//! The session cookie: HttpOnly (no script reads it), Secure (HTTPS only; the loopback
//! override is for development), SameSite=Lax (sent when a person follows a link to the
//! site and on the provider's redirect back, never on another site's form posts), Path=/.
//! With Secure it carries the `__Host-` prefix, so no subdomain can set or shadow it.

use axum::http::{header, HeaderMap, HeaderValue};

/// The cookie's name for a configuration.
pub fn name(secure: bool) -> &'static str {
    if secure {
        "__Host-kaifang_session"
    } else {
        "kaifang_session"
    }
}

/// `Set-Cookie` for a new session lasting `max_age_secs`.
pub fn set(secure: bool, value: &str, max_age_secs: i64) -> HeaderValue {
    let secure_attr = if secure { "; Secure" } else { "" };
    let v = format!("{}={value}; Path=/; HttpOnly{secure_attr}; SameSite=Lax; Max-Age={max_age_secs}", name(secure));
    HeaderValue::from_str(&v).expect("session ids are hex")
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear(secure: bool) -> HeaderValue {
    let secure_attr = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{}=; Path=/; HttpOnly{secure_attr}; SameSite=Lax; Max-Age=0", name(secure)))
        .expect("ascii")
}

/// The session id a request carries, if any.
pub fn read(headers: &HeaderMap, secure: bool) -> Option<String> {
    let wanted = name(secure);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == wanted)
        .map(|(_, v)| v.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_cookie_is_http_only_secure_lax_and_host_prefixed() {
        let v = set(true, "abc", 3600);
        let s = v.to_str().unwrap();
        assert!(s.starts_with("__Host-kaifang_session=abc;"), "{s}");
        for attr in ["; Path=/", "; HttpOnly", "; Secure", "; SameSite=Lax", "; Max-Age=3600"] {
            assert!(s.contains(attr), "{s} lacks {attr}");
        }
        assert!(!s.contains("Domain"), "a __Host- cookie names no domain: {s}");
    }

    #[test]
    fn the_loopback_override_drops_only_secure_and_the_prefix() {
        let s = set(false, "abc", 60).to_str().unwrap().to_string();
        assert!(
            s.starts_with("kaifang_session=abc;")
                && s.contains("HttpOnly")
                && s.contains("SameSite=Lax")
                && !s.contains("Secure")
        );
    }

    #[test]
    fn logging_out_expires_the_cookie() {
        let s = clear(true).to_str().unwrap().to_string();
        assert!(s.starts_with("__Host-kaifang_session=;") && s.contains("Max-Age=0") && s.contains("HttpOnly"));
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("a=1; __Host-kaifang_session=xyz ; b=2"));
        assert_eq!(read(&h, true).as_deref(), Some("xyz"));
        assert_eq!(read(&h, false), None);
    }
}
