//! `kaifang backup` while the intake takes filings, and `kaifang restore`: the restored
//! database holds every filing and audit entry committed before the backup, the same rows.

use super::{application, H};
use crate::intake::backup;
use sqlx::{Connection, Row, SqliteConnection};

async fn rows(path: &std::path::Path, sql: &str) -> Vec<String> {
    let mut c = SqliteConnection::connect(&format!("sqlite:{}?mode=ro", path.display())).await.unwrap();
    sqlx::query(sql).fetch_all(&mut c).await.unwrap().iter().map(|r| r.get::<String, _>(0)).collect()
}

#[tokio::test]
async fn a_backup_taken_while_filing_restores_every_filing_and_audit_entry() {
    let h = H::sqlite("yunnan").await;
    let dir = tempfile::tempdir().unwrap();
    let source = h._dir.path().join("intake.sqlite");
    let url = format!("sqlite:{}", source.display());
    let mut before = Vec::new();
    for _ in 0..20 {
        let (reference, _, _) = h.file(&application()).await;
        h.act_ok(&h.transport, &reference, serde_json::json!({ "action": "start_review" })).await;
        before.push(reference);
    }
    // Filings keep arriving while the backup runs.
    let app = h.app.clone();
    let writer = tokio::spawn(async move {
        for _ in 0..40 {
            let req = axum::http::Request::post("/api/v1/filings").header("content-type", "application/json");
            let body = axum::body::Body::from(serde_json::to_vec(&application()).unwrap());
            let res = tower::ServiceExt::oneshot(app.clone(), req.body(body).unwrap()).await.unwrap();
            assert_eq!(res.status(), axum::http::StatusCode::CREATED);
        }
    });
    let copy = dir.path().join("backup.sqlite");
    let counts = backup::backup(&url, &copy).await.unwrap();
    writer.await.unwrap();
    assert!(counts.filings >= 20 && counts.audit_entries >= 40, "{counts:?}");
    // Never over an existing file.
    assert!(backup::backup(&url, &copy).await.is_err());

    let restored = dir.path().join("restored/intake.sqlite");
    let restored_url = format!("sqlite:{}", restored.display());
    assert_eq!(backup::restore(&copy, &restored_url, false).await.unwrap(), counts);
    // Every filing acknowledged before the backup, and the audit log as it was then: the
    // same rows, in the same order, as the first entries of the live log.
    let refs = rows(&restored, "SELECT reference FROM filings ORDER BY id").await;
    assert!(before.iter().all(|r| refs.contains(r)), "a filing is missing");
    let sql = "SELECT id || '|' || at || '|' || actor || '|' || action || '|' || subject || '|' || detail FROM audit_log ORDER BY id";
    let (copied, live) = (rows(&restored, sql).await, rows(&source, sql).await);
    assert_eq!(copied.len() as i64, counts.audit_entries);
    assert_eq!(copied[..], live[..copied.len()]);
    // The restored database serves: the intake opens it and finds a filing.
    let intake = crate::intake::open(&crate::intake::IntakeConfig::new(restored_url.clone())).await.unwrap();
    let found = intake.department_show(&crate::intake::Principal::Authority { label: "t".into() }, &before[0]).await;
    assert!(found.is_ok(), "{:?}", found.err());
    // Restoring over a database needs --replace; garbage is refused.
    assert!(backup::restore(&copy, &restored_url, false).await.is_err());
    assert_eq!(backup::restore(&copy, &restored_url, true).await.unwrap(), counts);
    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, b"not a database").unwrap();
    assert!(backup::restore(&junk, &format!("sqlite:{}", dir.path().join("x.sqlite").display()), false).await.is_err());
    assert!(backup::backup("postgres://u@localhost/db", &dir.path().join("pg"))
        .await
        .unwrap_err()
        .to_string()
        .contains("pg_dump"));
}
