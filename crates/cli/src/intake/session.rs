//! Sessions and logins under way, in the intake's database: any instance over the same
//! database answers a callback another instance started and knows every session
//! (`xtask two-instances` runs two behind nginx). Only hashes of the session id and of
//! the login's `state` are stored, like receipt tokens (`token.rs`).

use kaifang_core::identity::{Role, VerifiedIdentity};
use sqlx::Row;

use super::db::Db;
use super::service::{IntakeError, Principal};
use super::token;

/// What a login remembers between the redirect to the provider and the callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLogin {
    pub pkce_verifier: String,
    pub nonce: String,
    /// A path on this site (checked by [`safe_return`]).
    pub return_to: String,
}

/// A login must come back within this time.
pub const LOGIN_TTL_SECS: i64 = 10 * 60;

pub async fn remember_login(db: &Db, state: &str, login: &PendingLogin, now: i64) -> Result<(), IntakeError> {
    // Logins abandoned at the provider are removed as new ones start.
    sqlx::query("DELETE FROM auth_logins WHERE expires_at < $1").bind(now).execute(&db.pool).await?;
    sqlx::query(
        "INSERT INTO auth_logins (state_hash, pkce_verifier, nonce, return_to, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token::token_hash(state))
    .bind(&login.pkce_verifier)
    .bind(&login.nonce)
    .bind(&login.return_to)
    .bind(now + LOGIN_TTL_SECS)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The login a callback's `state` belongs to, once: it is removed as it is read, so a
/// replayed callback finds nothing.
pub async fn take_login(db: &Db, state: &str, now: i64) -> Result<Option<PendingLogin>, IntakeError> {
    let hash = token::token_hash(state);
    let row = sqlx::query(
        "DELETE FROM auth_logins WHERE state_hash = $1 RETURNING pkce_verifier, nonce, return_to, expires_at",
    )
    .bind(&hash)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    if row.try_get::<i64, _>("expires_at")? < now {
        return Ok(None);
    }
    Ok(Some(PendingLogin {
        pkce_verifier: row.try_get("pkce_verifier")?,
        nonce: row.try_get("nonce")?,
        return_to: row.try_get("return_to")?,
    }))
}

/// A signed-in person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub identity: VerifiedIdentity,
    pub expires_at: i64,
}

impl Session {
    /// The person as a department or the authority, for the department routes; a filer
    /// is refused there.
    pub fn principal(&self) -> Result<Principal, IntakeError> {
        let who = self.identity.name.clone().unwrap_or_default();
        let label = format!("{who} (sign-in {})", self.identity.subject);
        match &self.identity.role {
            Role::Department { department_id } => Ok(Principal::Department { id: department_id.clone(), label }),
            Role::Authority => Ok(Principal::Authority { label }),
            Role::Filer => Err(IntakeError::Forbidden {
                zh: "您的账号不属于任何部门,不能处理申请。".into(),
                en: "Your account belongs to no department, so it cannot handle filings.".into(),
            }),
        }
    }
}

/// Starts a session; answers its id (the cookie's value), shown once.
pub async fn create(db: &Db, identity: &VerifiedIdentity, now: i64, lifetime_secs: i64) -> Result<String, IntakeError> {
    sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(now).execute(&db.pool).await?;
    let id = token::new_token();
    let json = serde_json::to_string(identity).map_err(anyhow::Error::from)?;
    sqlx::query(
        "INSERT INTO sessions (id_hash, subject, identity, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token::token_hash(&id))
    .bind(&identity.subject)
    .bind(json)
    .bind(now)
    .bind(now + lifetime_secs)
    .execute(&db.pool)
    .await?;
    Ok(id)
}

/// The session a cookie names, if it exists and has not expired.
pub async fn find(db: &Db, id: &str, now: i64) -> Result<Option<Session>, IntakeError> {
    if !token::well_formed(id) {
        return Ok(None);
    }
    let row = sqlx::query("SELECT identity, expires_at FROM sessions WHERE id_hash = $1")
        .bind(token::token_hash(id))
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let expires_at: i64 = row.try_get("expires_at")?;
    if expires_at <= now {
        return Ok(None);
    }
    let text: String = row.try_get("identity")?;
    let identity = serde_json::from_str(&text).map_err(anyhow::Error::from)?;
    Ok(Some(Session { identity, expires_at }))
}

/// Ends a session (logout). Unknown ids are fine: the cookie is cleared either way.
pub async fn end(db: &Db, id: &str) -> Result<(), IntakeError> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(token::token_hash(id)).execute(&db.pool).await?;
    Ok(())
}

/// Where to send a person after sign-in or logout: a path on this site, or `/`. An
/// absolute URL, `//host` or a backslash trick would make the login an open redirect.
pub fn safe_return(requested: Option<&str>) -> String {
    match requested {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && p.len() <= 2000
                && !p.chars().any(char::is_control) =>
        {
            p.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_returned_to() {
        assert_eq!(safe_return(Some("/file/application?dataset=a")), "/file/application?dataset=a");
        for bad in ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "/a\nb", ""] {
            assert_eq!(safe_return(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_return(None), "/");
    }
}
