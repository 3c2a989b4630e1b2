//! Filing and the filer's side: a filing is checked, routed to the department that
//! answers for its datasets, given its statutory deadline and stored with a receipt;
//! a retry with the same idempotency key answers with the same receipt. The filer then
//! reads and acts on it by receipt token.

use kaifang_core::calendar::Day;
use kaifang_core::catalog::OpenKind;
use kaifang_core::filing::{Action, Actor, Filing, FilingState};
use kaifang_core::identity::VerifiedIdentity;
use kaifang_core::rules::FilingKind;
use sqlx::Row;

use super::audit::audit;
use super::rows::StoredFiling;
use super::{field_error, rfc3339, FilingRow, FilingView, Intake, IntakeError, Receipt, Result, FILING_COLUMNS};
use crate::intake::token;

/// What [`Intake::create`] answers: the receipt, and whether this call stored the filing
/// (`false`: a retry answered with the receipt first issued).
#[derive(Debug)]
pub struct Filed {
    pub receipt: Receipt,
    pub created: bool,
}

/// A filing checked and ready to store, with everything its receipt will say.
struct NewFiling<'a> {
    kind: FilingKind,
    department: String,
    datasets: Vec<String>,
    /// `datasets` as stored (JSON).
    dataset_ids: String,
    state: FilingState,
    /// The masked form, as stored.
    stored: String,
    identity: serde_json::Value,
    received_at: String,
    received_on: Day,
    deadline: String,
    deadline_estimated: bool,
    token: String,
    idem_key: Option<&'a str>,
    body_hash: String,
    filer_subject: Option<String>,
}

/// A filing's row with the hash of the form it was filed with (an idempotent retry must
/// send the same form).
#[derive(sqlx::FromRow)]
struct StoredWithHash {
    #[sqlx(flatten)]
    filing: StoredFiling,
    body_hash: String,
}

/// The idempotency key is a client secret like the token (the app makes a UUIDv4):
/// 16–128 characters of `A-Z a-z 0-9 - _`.
fn check_idem_key(key: &str) -> Result<()> {
    let ok =
        (16..=128).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(IntakeError::BadRequest {
            code: "bad_idempotency_key",
            zh: "幂等键须为 16–128 个字母、数字、“-”或“_”。".into(),
            en: "The idempotency key must be 16–128 letters, digits, '-' or '_'.".into(),
        })
    }
}

impl Intake {
    /// The department answering a filing, from the catalog; checks every dataset named.
    fn route(&self, filing: &Filing) -> Result<String> {
        let mut errors = Vec::new();
        let mut department: Option<String> = None;
        let paths: Vec<String> = match filing {
            Filing::Application(a) => (0..a.datasets.len()).map(|i| format!("datasets[{i}].id")).collect(),
            Filing::Objection(_) | Filing::ErrorReport(_) => vec!["dataset_id".into()],
            Filing::DataRequest(_) => vec!["related_dataset_id".into()],
        };
        for (id, path) in filing.dataset_ids().iter().zip(paths) {
            match self.catalog.dataset(id) {
                None => errors.push(field_error(
                    path,
                    "unknown_dataset",
                    "目录中没有这个数据集。",
                    "There is no such dataset in the catalog.",
                )),
                Some(entry) => {
                    if matches!(filing, Filing::Application(_)) && entry.open != OpenKind::Conditional {
                        errors.push(field_error(
                            path.clone(),
                            "not_conditional",
                            "只有有条件开放的数据集需要申请。",
                            "Only conditionally open datasets need an application.",
                        ));
                    }
                    match &department {
                        Some(d) if *d != entry.department_id => errors.push(field_error(
                            path,
                            "mixed_departments",
                            "一份申请只能涉及同一提供部门的数据集,请分开申请。",
                            "One filing can only name datasets of one department; please file separately.",
                        )),
                        _ => department = Some(entry.department_id.clone()),
                    }
                }
            }
        }
        if let Filing::DataRequest(r) = filing {
            if let Some(d) = &r.department_id {
                if !self.catalog.has_department(d) {
                    errors.push(field_error(
                        "department_id".into(),
                        "unknown_department",
                        "没有这个部门。",
                        "There is no such department.",
                    ));
                } else if department.is_none() {
                    department = Some(d.clone());
                }
            }
        }
        if !errors.is_empty() {
            return Err(IntakeError::Invalid(errors));
        }
        // A data request naming no department goes to the data authority ("").
        Ok(department.unwrap_or_default())
    }

    /// Files a filing and answers with its receipt. With an idempotency key, a retry of
    /// the same filing answers with the same receipt; the same key with another filing
    /// is a conflict.
    ///
    /// `filer`: the person signed in, if any. Their verified name and document replace what
    /// was typed and the filing is tied to their subject; a kind the rule set keeps for
    /// signed-in people (Xiangxi 35: applications) is refused without one wherever sign-in
    /// is configured.
    pub async fn create(
        &self,
        mut filing: Filing,
        idem_key: Option<&str>,
        filer: Option<&VerifiedIdentity>,
    ) -> Result<Filed> {
        match filer {
            Some(identity) => {
                identity.apply_to(&mut filing);
            }
            None if self.sign_in.is_some() && self.rules.requires_sign_in(filing.kind()) => {
                return Err(IntakeError::SignInRequired { article: self.rules.name.clone() });
            }
            None => {}
        }
        filing.validate(&self.rules).map_err(IntakeError::Invalid)?;
        let department = self.route(&filing)?;
        let canonical = serde_json::to_string(&filing).map_err(anyhow::Error::from)?;
        // Keyed with the server secret: the hash of a form holding an ID number must not
        // allow guessing the number.
        let body_hash = crate::intake::db::hex(&token::hmac_sha256(&self.secret, canonical.as_bytes()));
        if let Some(key) = idem_key {
            check_idem_key(key)?;
            if let Some(receipt) = self.replay(key, &body_hash).await? {
                return Ok(Filed { receipt, created: false });
            }
        }
        let kind = filing.kind();
        let now = self.clock.now();
        let received_on = Day::in_china_at_unix(now);
        let state = FilingState::initial(kind, &self.rules);
        let deadline = self.rules.running_deadline(&self.calendar, kind, state.awaiting_forwarding(), received_on, 0);
        let token = match idem_key {
            Some(key) => token::derived_token(&self.secret, key, &body_hash),
            None => token::new_token(),
        };
        let masked = filing.masked();
        let new = NewFiling {
            kind,
            department,
            datasets: filing.dataset_ids(),
            dataset_ids: serde_json::to_string(&filing.dataset_ids()).map_err(anyhow::Error::from)?,
            state,
            stored: serde_json::to_string(&masked).map_err(anyhow::Error::from)?,
            identity: identity_for_audit(&masked),
            received_at: rfc3339(now),
            received_on,
            deadline: deadline.value.to_date().to_string(),
            deadline_estimated: deadline.estimated,
            token,
            idem_key,
            body_hash,
            filer_subject: filer.map(|i| i.subject.clone()),
        };
        let reference = match self.insert(&new).await {
            Ok(r) => r,
            // Two retries racing: the loser's insert hits the unique key; answer as a retry.
            Err(e) if idem_key.is_some() => match self.replay(idem_key.unwrap_or_default(), &new.body_hash).await? {
                Some(receipt) => return Ok(Filed { receipt, created: false }),
                None => return Err(e.into()),
            },
            Err(e) => return Err(e.into()),
        };
        let receipt = Receipt {
            reference,
            kind,
            state: state.as_str(),
            received_at: new.received_at,
            received_on: received_on.to_date().to_string(),
            deadline: self.deadline_view(
                self.rules.running_limit(kind, state.awaiting_forwarding()),
                &new.deadline,
                new.deadline_estimated,
                0,
            ),
            token: new.token,
        };
        Ok(Filed { receipt, created: true })
    }

    /// Stores a new filing, its first timeline step and its audit entry in one transaction;
    /// answers its reference (numbered from its row id, so unique without a counter).
    async fn insert(&self, new: &NewFiling<'_>) -> std::result::Result<String, sqlx::Error> {
        let received_on = new.received_on.to_date().to_string();
        let mut tx = self.db.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO filings (kind, department_id, dataset_ids, state, body, received_at, received_on, \
             extended_days, deadline, deadline_estimated, token_hash, idem_key, body_hash, updated_at, filer_subject) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(new.kind.as_str())
        .bind(&new.department)
        .bind(&new.dataset_ids)
        .bind(new.state.as_str())
        .bind(&new.stored)
        .bind(&new.received_at)
        .bind(&received_on)
        .bind(&new.deadline)
        .bind(i64::from(new.deadline_estimated))
        .bind(token::token_hash(&new.token))
        .bind(new.idem_key.map(str::to_string))
        .bind(&new.body_hash)
        .bind(&new.received_at)
        .bind(new.filer_subject.clone())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let reference = format!("{}-{}-{id:06}", new.kind.reference_prefix(), new.received_on.year());
        sqlx::query("UPDATE filings SET reference = $1 WHERE id = $2")
            .bind(&reference)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO timeline (filing_id, at, actor, action, state, note, deadline) VALUES ($1, $2, 'filer', 'submit', $3, NULL, $4)",
        )
        .bind(id)
        .bind(&new.received_at)
        .bind(new.state.as_str())
        .bind(&new.deadline)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({
            "kind": new.kind.as_str(),
            "department": new.department,
            "datasets": new.datasets,
            "identity": new.identity,
            "idempotency_key": new.idem_key.is_some(),
        });
        audit(&mut tx, &new.received_at, "filer", "filing.create", &reference, &detail).await?;
        tx.commit().await?;
        Ok(reference)
    }

    /// The receipt of an earlier filing with this idempotency key, if any.
    async fn replay(&self, key: &str, body_hash: &str) -> Result<Option<Receipt>> {
        let row = sqlx::query_as::<_, StoredWithHash>(&format!(
            "SELECT {FILING_COLUMNS}, body_hash FROM filings WHERE idem_key = $1"
        ))
        .bind(key)
        .fetch_optional(&self.db.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        if row.body_hash != body_hash {
            return Err(IntakeError::Conflict {
                code: "idempotency_key_reused",
                zh: "这个幂等键已用于另一份不同的提交。".into(),
                en: "This idempotency key was already used for a different filing.".into(),
            });
        }
        let f = FilingRow::try_from(row.filing)?;
        // The receipt as first issued: the initial state and the deadline without extensions.
        let received = Day::from_date(&kaifang_core::catalog::Date::parse(&f.received_on).map_err(anyhow::Error::msg)?);
        let initial = FilingState::initial(f.kind, &self.rules);
        let forwarding = initial.awaiting_forwarding();
        let deadline = self.rules.running_deadline(&self.calendar, f.kind, forwarding, received, 0);
        let deadline_s = deadline.value.to_date().to_string();
        Ok(Some(Receipt {
            reference: f.reference.clone(),
            kind: f.kind,
            state: initial.as_str(),
            received_at: f.received_at.clone(),
            received_on: f.received_on.clone(),
            deadline: self.deadline_view(
                self.rules.running_limit(f.kind, forwarding),
                &deadline_s,
                deadline.estimated,
                0,
            ),
            token: token::derived_token(&self.secret, key, body_hash),
        }))
    }

    /// The filer's view, by receipt token: this filing and nothing else.
    pub async fn filer_view(&self, receipt_token: &str) -> Result<FilingView> {
        let f = self.filing_by_token(receipt_token).await?;
        self.view(&f).await
    }

    /// The filer acts (supplies information, asks for a review).
    pub async fn filer_act(&self, receipt_token: &str, action: Action) -> Result<FilingView> {
        let f = self.filing_by_token(receipt_token).await?;
        self.apply(&f, action, Actor::Filer, "filer").await?;
        let f = self.filing_by_token(receipt_token).await?;
        self.view(&f).await
    }
}

/// Who filed, as the audit log may hold it: masked numbers only.
fn identity_for_audit(masked: &Filing) -> serde_json::Value {
    match masked {
        Filing::Application(a) => serde_json::json!({
            "type": a.applicant.applicant_type,
            "document": a.applicant.id_document.kind,
            "number": a.applicant.id_document.number,
        }),
        Filing::Objection(o) => serde_json::json!({
            "relation": o.relation,
            "number": o.requester.id_document.as_ref().map(|d| d.number.clone()),
        }),
        Filing::ErrorReport(_) | Filing::DataRequest(_) => serde_json::Value::Null,
    }
}
