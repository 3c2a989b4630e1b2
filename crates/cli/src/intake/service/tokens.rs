//! The tokens departments and the data authority use on the API (and `kaifang review`
//! issues): issued once, stored only as a hash, revoked per department, and resolved to
//! the [`Principal`] who holds one. Every issue and revocation is logged.

use super::audit::audit;
use super::{Intake, IntakeError, Principal, Result};
use crate::intake::token;

/// A live token's row of `department_tokens`, as stored.
#[derive(sqlx::FromRow)]
struct TokenHolder {
    department_id: String,
    role: String,
    label: String,
}

impl Intake {
    /// Issues a token for a department (or the authority); returns it once.
    pub async fn create_token(&self, department_id: Option<&str>, label: &str) -> Result<String> {
        let (dept, role) = match department_id {
            Some(d) => {
                if !self.catalog.has_department(d) {
                    return Err(IntakeError::BadRequest {
                        code: "unknown_department",
                        zh: format!("目录中没有部门“{d}”。"),
                        en: format!("The catalog has no department “{d}”."),
                    });
                }
                (d.to_string(), "department")
            }
            None => (String::new(), "authority"),
        };
        let t = token::new_token();
        let now = self.now();
        let mut tx = self.db.pool.begin().await?;
        sqlx::query("INSERT INTO department_tokens (token_hash, department_id, role, label, created_at, revoked) VALUES ($1, $2, $3, $4, $5, 0)")
            .bind(token::token_hash(&t))
            .bind(&dept)
            .bind(role)
            .bind(label)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "department": dept, "role": role, "label": label });
        audit(&mut tx, &now, "cli", "token.create", if dept.is_empty() { "authority" } else { &dept }, &detail).await?;
        tx.commit().await?;
        Ok(t)
    }

    /// Revokes every token of a department (or, with `None`, every authority token), e.g.
    /// when one leaked; answers how many were revoked. Issue a new one afterwards.
    pub async fn revoke_tokens(&self, department_id: Option<&str>) -> Result<u64> {
        let (dept, role) = match department_id {
            Some(d) => (d, "department"),
            None => ("", "authority"),
        };
        let now = self.now();
        let mut tx = self.db.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE department_tokens SET revoked = 1 WHERE department_id = $1 AND role = $2 AND revoked = 0",
        )
        .bind(dept)
        .bind(role)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "department": dept, "role": role, "revoked": done.rows_affected() });
        audit(&mut tx, &now, "cli", "token.revoke", if dept.is_empty() { "authority" } else { dept }, &detail).await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Who holds a bearer token, if anyone.
    pub async fn principal(&self, bearer: &str) -> Result<Principal> {
        if !token::well_formed(bearer) {
            return Err(IntakeError::Unauthorized);
        }
        let row = sqlx::query_as::<_, TokenHolder>(
            "SELECT department_id, role, label FROM department_tokens WHERE token_hash = $1 AND revoked = 0",
        )
        .bind(token::token_hash(bearer))
        .fetch_optional(&self.db.pool)
        .await?
        .ok_or(IntakeError::Unauthorized)?;
        Ok(if row.role == "authority" {
            Principal::Authority { label: row.label }
        } else {
            Principal::Department { id: row.department_id, label: row.label }
        })
    }
}
