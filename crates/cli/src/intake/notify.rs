//! Telling filers when a filing's state changes, by e-mail.
//!
//! A message is written to the `outbox` table in the same transaction that changes the
//! state ([`enqueue`], called from `service/decisions.rs`'s `apply`), so a change is never made
//! without its message nor a message sent for a change that was rolled back; a task
//! ([`spawn_sender`]) sends due messages over SMTP with `lettre` and retries failures with
//! backoff. Two instances over one database each lease a message before sending it, so a
//! message is sent once even when both look at the same moment. Texts come from
//! `messages/notify.json` (and state names from `messages/filing.json`), zh-CN first and
//! English second in every message.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Deserialize;
use sqlx::Row;

use super::service::Intake;

/// The `[notify]` section of the intake's configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyConfig {
    /// `smtp://host:port` (plain, for a relay on the same host), `smtp://host?tls=required`
    /// (STARTTLS), `smtps://user:password@host` (TLS); as lettre reads them.
    pub smtp_url: String,
    /// The sender, e.g. `开放平台 <noreply@data.example.gov.cn>`.
    pub from: String,
    /// Where "my filings" is, for the link in each message (e.g. `https://data.example.gov.cn`).
    pub public_url: String,
    /// How often the sender looks for due messages, in seconds.
    #[serde(default = "default_poll")]
    pub poll_seconds: u64,
    /// Attempts before a message is given up (it stays in the table with its last error).
    #[serde(default = "default_attempts")]
    pub max_attempts: u32,
}

fn default_poll() -> u64 {
    5
}
fn default_attempts() -> u32 {
    12
}

/// The configured sender.
pub struct Notifier {
    config: NotifyConfig,
    from: Mailbox,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl Notifier {
    pub fn new(config: NotifyConfig) -> anyhow::Result<Notifier> {
        let from: Mailbox =
            config.from.parse().map_err(|e| anyhow::anyhow!("notify.from {:?} is not an address: {e}", config.from))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.smtp_url)
            .map_err(|e| anyhow::anyhow!("notify.smtp_url {:?}: {e}", config.smtp_url))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        if !(1..=3600).contains(&config.poll_seconds) {
            anyhow::bail!("notify.poll_seconds must be between 1 and 3600");
        }
        Ok(Notifier { config, from, transport })
    }
}

/// A message file's text in both languages.
#[derive(Clone)]
struct Text {
    zh: String,
    en: String,
}

/// The message files' texts by key.
fn texts() -> &'static BTreeMap<String, Text> {
    static TEXTS: OnceLock<BTreeMap<String, Text>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        let mut out = BTreeMap::new();
        for file in [include_str!("../../../../messages/notify.json"), include_str!("../../../../messages/filing.json")]
        {
            let parsed: BTreeMap<String, BTreeMap<String, String>> =
                serde_json::from_str(file).expect("message files are checked by build.rs and tests");
            for (key, langs) in parsed {
                let get = |l: &str| langs.get(l).cloned().unwrap_or_default();
                out.insert(key, Text { zh: get("zh-CN"), en: get("en") });
            }
        }
        out
    })
}

fn text(key: &str) -> Text {
    texts().get(key).cloned().unwrap_or_else(|| Text { zh: key.to_string(), en: key.to_string() })
}

/// A message's subject and body, Chinese first then English.
pub fn compose(kind: &str, reference: &str, state: &str, note: Option<&str>, link: &str) -> (String, String) {
    let kind = text(&format!("notify.kind.{kind}"));
    let state = text(&format!("filing.state.{state}"));
    let note = match note.filter(|n| !n.trim().is_empty()) {
        Some(n) => {
            let t = text("notify.note");
            Text { zh: t.zh.replace("{note}", n), en: t.en.replace("{note}", n) }
        }
        None => Text { zh: String::new(), en: String::new() },
    };
    let fill = |t: &str| {
        t.replace("{kind}", &kind.zh)
            .replace("{kind_en}", &kind.en)
            .replace("{reference}", reference)
            .replace("{state}", &state.zh)
            .replace("{state_en}", &state.en)
            .replace("{note}", &note.zh)
            .replace("{note_en}", &note.en)
            .replace("{link}", link)
    };
    let subject = text("notify.subject");
    let body = text("notify.body.changed");
    (
        format!("{} / {}", fill(&subject.zh), fill(&subject.en)),
        format!("{}\n\n----\n\n{}\n", fill(&body.zh), fill(&body.en)),
    )
}

/// The filer's e-mail address in a stored filing, if they gave one.
pub fn filer_email(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let who = ["applicant", "requester", "reporter"].iter().find_map(|k| v.get(*k))?;
    let email = who.get("contact")?.get("email")?.as_str()?.trim();
    email.parse::<lettre::Address>().ok().map(|_| email.to_string())
}

/// Writes the message for a state change into the outbox, inside the change's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn enqueue(
    intake: &Intake,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    filing_id: i64,
    body: &str,
    kind: &str,
    reference: &str,
    state: &str,
    note: Option<&str>,
) -> Result<(), sqlx::Error> {
    let (Some(notifier), Some(to)) = (&intake.notify, filer_email(body)) else { return Ok(()) };
    let link = format!("{}/filings", notifier.config.public_url.trim_end_matches('/'));
    let (subject, text) = compose(kind, reference, state, note, &link);
    let now = intake.clock.now();
    sqlx::query(
        "INSERT INTO outbox (filing_id, channel, recipient, subject, body, created_at, attempts, next_at) \
         VALUES ($1, 'email', $2, $3, $4, $5, 0, $6)",
    )
    .bind(filing_id)
    .bind(to)
    .bind(subject)
    .bind(text)
    .bind(super::service::rfc3339(now))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Seconds before attempt `n + 1` after `n` failures: 30 s doubling to an hour.
pub fn backoff_secs(failures: u32) -> i64 {
    (30i64 << failures.saturating_sub(1).min(7)).min(3600)
}

/// Starts the task that sends due messages until the process ends.
pub fn spawn_sender(intake: Arc<Intake>) {
    tokio::spawn(async move {
        let poll = intake.notify.as_ref().map_or(5, |n| n.config.poll_seconds);
        loop {
            if let Err(e) = send_due(&intake).await {
                eprintln!("intake: notify: {e:#}");
            }
            tokio::time::sleep(Duration::from_secs(poll)).await;
        }
    });
}

/// Sends every message due now; answers how many went out.
pub async fn send_due(intake: &Intake) -> anyhow::Result<usize> {
    let Some(notifier) = &intake.notify else { return Ok(0) };
    let now = intake.clock.now();
    let rows = sqlx::query(
        "SELECT id, recipient, subject, body, attempts, next_at FROM outbox \
         WHERE sent_at IS NULL AND next_at <= $1 AND attempts < $2 ORDER BY id LIMIT 50",
    )
    .bind(now)
    .bind(i64::from(notifier.config.max_attempts))
    .fetch_all(&intake.db.pool)
    .await?;
    let mut sent = 0;
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let attempts: i64 = row.try_get("attempts")?;
        // The lease: whoever moves next_at first sends; another instance skips this row.
        let leased = sqlx::query("UPDATE outbox SET next_at = $1 WHERE id = $2 AND next_at = $3 AND sent_at IS NULL")
            .bind(now + 120)
            .bind(id)
            .bind(row.try_get::<i64, _>("next_at")?)
            .execute(&intake.db.pool)
            .await?;
        if leased.rows_affected() != 1 {
            continue;
        }
        let outcome =
            send_one(notifier, row.try_get("recipient")?, row.try_get("subject")?, row.try_get("body")?).await;
        let failures = u32::try_from(attempts + 1).unwrap_or(u32::MAX);
        match outcome {
            Ok(()) => {
                sent += 1;
                sqlx::query("UPDATE outbox SET sent_at = $1, attempts = $2, last_error = NULL WHERE id = $3")
                    .bind(super::service::rfc3339(intake.clock.now()))
                    .bind(attempts + 1)
                    .bind(id)
                    .execute(&intake.db.pool)
                    .await?;
            }
            Err(e) => {
                sqlx::query("UPDATE outbox SET attempts = $1, next_at = $2, last_error = $3 WHERE id = $4")
                    .bind(attempts + 1)
                    .bind(now + backoff_secs(failures))
                    .bind(format!("{e:#}"))
                    .bind(id)
                    .execute(&intake.db.pool)
                    .await?;
            }
        }
    }
    Ok(sent)
}

async fn send_one(n: &Notifier, to: String, subject: String, body: String) -> anyhow::Result<()> {
    let message = Message::builder()
        .from(n.from.clone())
        .to(to.parse()?)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body)?;
    n.transport.send(message).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notify_text_has_both_languages_and_every_placeholder_is_filled() {
        let file: BTreeMap<String, BTreeMap<String, String>> =
            serde_json::from_str(include_str!("../../../../messages/notify.json")).unwrap();
        for (key, langs) in &file {
            assert!(
                langs.get("zh-CN").is_some_and(|s| !s.is_empty()) && langs.get("en").is_some_and(|s| !s.is_empty()),
                "{key}"
            );
        }
        let (subject, body) =
            compose("application", "SQ-2026-000001", "approved", Some("范围:全部字段"), "https://x/filings");
        assert!(
            subject.starts_with("您的有条件开放申请SQ-2026-000001") && subject.contains("application"),
            "{subject}"
        );
        assert!(body.find("您好").unwrap() < body.find("Hello").unwrap(), "Chinese first: {body}");
        assert!(body.contains("范围:全部字段") && body.contains("https://x/filings"));
        assert!(!body.contains('{') && !subject.contains('{'), "{subject}\n{body}");
    }

    #[test]
    fn the_address_comes_from_the_filers_contact_and_must_be_one() {
        assert_eq!(filer_email(r#"{"applicant":{"contact":{"email":"a@b.cn"}}}"#).as_deref(), Some("a@b.cn"));
        assert_eq!(filer_email(r#"{"reporter":{"contact":{"email":" c@d.cn "}}}"#).as_deref(), Some("c@d.cn"));
        assert_eq!(filer_email(r#"{"requester":{"contact":{"email":"not an address"}}}"#), None);
        assert_eq!(filer_email(r#"{"requester":{"contact":{}}}"#), None);
    }

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(backoff_secs(1), 30);
        assert_eq!(backoff_secs(2), 60);
        assert_eq!(backoff_secs(20), 3600);
    }
}
