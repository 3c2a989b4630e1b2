//! The desk's benchmark (`kaifang desk-bench`, called by `cargo xtask bench desk`): a
//! database seeded with N filings of every kind (two departments, receipts spread over
//! eleven months, a third answered), then the inbox and the figures timed — the query
//! alone (service call: database read + standings on the calendar) and the whole load
//! over HTTP on loopback (route, token check, JSON), for one department and for the
//! authority, which reads every filing.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use kaifang_core::desk::InboxFilter;
use kaifang_core::filing::{Action, Filing};

use super::bench::{sample_application, write_sample_catalog};
use super::service::{Clock, Principal};
use super::{client, IntakeConfig};

pub const MAX_FILINGS: usize = 200_000;
/// Timed repetitions of each measurement (the median and the slowest are reported).
const RUNS: usize = 15;

/// Unix seconds at 10:00 in Beijing on the `n`th day after 2026-01-05.
fn day_at(n: i64) -> i64 {
    let start = kaifang_core::calendar::Day::from_ymd(2026, 1, 5).0;
    (start + n) * 86_400 + 2 * 3600
}

/// The department of the `i`th filing (applications are all for the transport department's
/// conditional dataset).
fn department_of(i: usize) -> &'static str {
    if i % 4 == 0 || i % 8 < 4 {
        "dept-transport"
    } else {
        "dept-health"
    }
}

/// The `i`th filing: the four kinds in turn, alternating between the two departments
/// where the kind allows.
fn filing(i: usize) -> anyhow::Result<Filing> {
    let transport = i % 8 < 4;
    let v = match i % 4 {
        0 => sample_application(i),
        1 => serde_json::json!({
            "kind": "objection",
            "requester": { "name": "李四", "contact": { "email": "li.si@example.cn" } },
            "relation": "data_subject",
            "dataset_id": if transport { "ds-bus-lines" } else { "ds-clinics" },
            "scope": { "kind": "rows", "rows": [12, 13] },
            "grounds": ["personal_information"],
            "statement": "第 12、13 行包含本人的姓名和电话号码。",
            "requested_action": "withdraw"
        }),
        2 => serde_json::json!({
            "kind": "error_report",
            "reporter": { "name": "王五", "contact": { "phone": "0871-65432100" } },
            "dataset_id": if transport { "ds-bus-stops" } else { "ds-clinics" },
            "location": { "row": 7, "field": "lat" },
            "current_value": "250.1",
            "proposed_value": "25.01",
            "explanation": "纬度超出范围,小数点位置错误。"
        }),
        _ => serde_json::json!({
            "kind": "data_request",
            "requester": { "name": "赵六", "contact": { "email": "zhao@example.cn" } },
            "title": "公交车辆实时位置",
            "description": "希望开放公交车辆实时位置数据,用于到站预测。",
            "purpose": "开发到站提醒应用",
            "department_id": if transport { "dept-transport" } else { "dept-health" }
        }),
    };
    Ok(serde_json::from_value(v)?)
}

/// The answer given to every third filing, a few days after receipt.
fn answer(i: usize) -> Vec<Action> {
    let reason = || Action::Reject { reason: "经核实不予采纳".into(), entrustment: None };
    match i % 4 {
        1 => vec![Action::StartReview, Action::RestoreDataset { note: "经核实异议不成立".into() }],
        _ => vec![reason()],
    }
}

fn median_max(mut xs: Vec<Duration>) -> (f64, f64) {
    xs.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(xs[xs.len() / 2]), ms(*xs.last().expect("RUNS > 0")))
}

/// Seeds `database_url` with `filings` filings and prints the timings, one line each.
pub async fn run(database_url: &str, filings: usize) -> anyhow::Result<()> {
    if filings == 0 || filings > MAX_FILINGS {
        bail!("--filings must be 1..={MAX_FILINGS}");
    }
    let catalog = std::env::temp_dir().join(format!("kaifang-desk-bench-{}", std::process::id()));
    write_sample_catalog(&catalog, "yunnan")?;
    let now = Arc::new(AtomicI64::new(day_at(0)));
    let mut cfg = IntakeConfig::new(database_url).catalog(&catalog);
    cfg.clock = Clock({
        let now = now.clone();
        Arc::new(move || now.load(Ordering::SeqCst))
    });
    let intake = super::open(&cfg).await?;
    let authority = Principal::Authority { label: "bench".into() };
    let seeding = Instant::now();
    for i in 0..filings {
        // Receipts spread evenly over 330 days (January to late November 2026).
        let day = (i * 330 / filings) as i64;
        now.store(day_at(day), Ordering::SeqCst);
        let receipt =
            intake.create(filing(i)?, None, None).await.map_err(|e| anyhow::anyhow!("filing {i}: {e}"))?.receipt;
        if i % 3 == 0 {
            now.store(day_at(day + 1 + (i % 20) as i64), Ordering::SeqCst);
            for action in answer(i) {
                let who = Principal::Department { id: department_of(i).into(), label: "bench".into() };
                intake
                    .department_act(&who, &receipt.reference, action)
                    .await
                    .map_err(|e| anyhow::anyhow!("answer {i}: {e}"))?;
            }
        }
    }
    let seeded = seeding.elapsed().as_secs_f64();
    now.store(day_at(330), Ordering::SeqCst);
    let backend = super::db::Backend::of(database_url).map(|b| format!("{b:?}").to_lowercase()).unwrap_or_default();
    println!("desk-bench {backend}: seeded {filings} filings in {seeded:.1} s");

    let department = Principal::Department { id: "dept-transport".into(), label: "bench".into() };
    for (who, name) in [(&department, "department"), (&authority, "authority")] {
        let mut times = Vec::new();
        let mut seen = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            seen = intake.inbox(who, &InboxFilter::default(), 0, 100).await.map_err(|e| anyhow::anyhow!("{e}"))?.total;
            times.push(t.elapsed());
        }
        let (med, max) = median_max(times);
        println!("desk-bench {backend}: inbox query, {name} ({seen} filings): median {med:.1} ms, max {max:.1} ms");
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            intake.figures(who).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            times.push(t.elapsed());
        }
        let (med, max) = median_max(times);
        println!("desk-bench {backend}: figures query, {name}: median {med:.1} ms, max {max:.1} ms");
    }

    // The whole load over HTTP, as the desk's first screen asks for it.
    let token = intake.create_token(Some("dept-transport"), "bench").await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let app = super::routes(intake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr: SocketAddr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let auth = format!("Bearer {token}");
    for path in [
        "/api/v1/department/inbox",
        "/api/v1/department/inbox?kind=application&state=submitted",
        "/api/v1/department/figures",
    ] {
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let res =
                client::request(addr, "GET", path, &[("Authorization", &auth)], &[]).await.context("desk request")?;
            times.push(t.elapsed());
            if res.status != 200 {
                bail!("{path} answered {}: {}", res.status, String::from_utf8_lossy(&res.body));
            }
            bytes = res.body.len();
        }
        let (med, max) = median_max(times);
        println!("desk-bench {backend}: GET {path} over HTTP ({bytes} bytes): median {med:.1} ms, max {max:.1} ms");
    }
    server.abort();
    let _ = std::fs::remove_dir_all(&catalog);
    Ok(())
}
