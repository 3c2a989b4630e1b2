//! The intake load benchmark (`kaifang intake-bench`, called by `cargo xtask bench`):
//! starts the intake on 127.0.0.1 with a small sample catalog, sends a bounded number of
//! applications from `concurrency` workers, and reports filings per second and latency
//! percentiles. Every filing must be acknowledged with 201, or the run fails.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use kaifang_core::catalog::{
    CatalogIndex, DatasetStatus, DatasetSummary, Date, Department, ListingInfo, ListingPage, OpenKind, Portal,
};

use super::{client, IntakeConfig};

pub const MAX_FILINGS: usize = 1_000_000;
pub const MAX_CONCURRENCY: usize = 256;

#[derive(Debug, Clone)]
pub struct BenchReport {
    pub backend: String,
    pub filings: usize,
    pub concurrency: usize,
    pub seconds: f64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl std::fmt::Display for BenchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "intake-bench {}: {} filings, concurrency {}: {:.0} filings/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({:.2} s)",
            self.backend, self.filings, self.concurrency, self.per_second, self.p50_ms, self.p99_ms, self.max_ms, self.seconds
        )
    }
}

/// Writes a two-department sample catalog (`catalog.json` + `listing/1.json`).
///
/// - `dept-transport`: `ds-bus-stops` (conditional), `ds-bus-lines` (unconditional);
/// - `dept-health`: `ds-clinics` (conditional).
pub fn write_sample_catalog(dir: &Path, jurisdiction: &str) -> anyhow::Result<()> {
    let dept = |id: &str, name: &str| Department { id: id.into(), name: name.into(), name_en: None };
    let item = |id: &str, d: Department, open| DatasetSummary {
        id: id.into(),
        title: format!("样例数据集 {id}"),
        title_en: None,
        theme: "交通出行".into(),
        publisher: d,
        open,
        status: DatasetStatus::Open,
        emergency: false,
        modified: Date::parse("2026-01-01").expect("literal date"),
        formats: vec!["CSV".into()],
    };
    let transport = dept("dept-transport", "示例市交通运输局");
    let health = dept("dept-health", "示例市卫生健康委员会");
    let items = vec![
        item("ds-bus-stops", transport.clone(), OpenKind::Conditional),
        item("ds-bus-lines", transport, OpenKind::Unconditional),
        item("ds-clinics", health, OpenKind::Conditional),
    ];
    let index = CatalogIndex {
        format_version: kaifang_core::catalog::FORMAT_VERSION,
        build_hash: "bench".into(),
        built_at: "2026-01-01T00:00:00Z".into(),
        portal: Portal {
            name: "示例市公共数据开放平台".into(),
            name_en: None,
            publisher: "示例市大数据管理局".into(),
            url: "http://127.0.0.1/".into(),
            jurisdiction: jurisdiction.into(),
            intake: "/api/v1".into(),
            default_license: "CC-BY-4.0".into(),
            synonyms: Vec::new(),
        },
        dataset_count: items.len(),
        listing: ListingInfo { page_size: 100, pages: 1 },
        search: None,
    };
    std::fs::create_dir_all(dir.join("listing"))?;
    std::fs::write(dir.join("catalog.json"), serde_json::to_vec_pretty(&index)?)?;
    std::fs::write(dir.join("listing/1.json"), serde_json::to_vec_pretty(&ListingPage { page: 1, items })?)?;
    Ok(())
}

/// A complete, valid application for `ds-bus-stops` under any rule set.
pub fn sample_application(n: usize) -> serde_json::Value {
    serde_json::json!({
        "kind": "application",
        "applicant": {
            "type": "natural_person",
            "name": format!("测试申请人{n}"),
            "id_document": { "kind": "resident_id", "number": "110102199101010078" },
            "contact": { "phone": "13812345678", "email": "applicant@example.cn" }
        },
        "datasets": [ { "id": "ds-bus-stops", "fields": ["stop_name", "lon", "lat"] } ],
        "purpose": "公交站点可达性研究",
        "scope_of_use": "本人研究使用",
        "scenario": "分析公交站点覆盖范围",
        "users": ["张三"],
        "security_measures": "加密存储,专人管理",
        "period": { "start": "2027-01-01", "end": "2027-12-31" },
        "volume": "全量",
        "frequency": "一次",
        "security_commitment_ack": true,
        "data_use_agreement_ack": true
    })
}

/// Runs the benchmark against `database_url` (SQLite or PostgreSQL).
pub async fn run(database_url: &str, filings: usize, concurrency: usize) -> anyhow::Result<BenchReport> {
    if filings == 0 || filings > MAX_FILINGS {
        bail!("--filings must be 1..={MAX_FILINGS}");
    }
    if concurrency == 0 || concurrency > MAX_CONCURRENCY {
        bail!("--concurrency must be 1..={MAX_CONCURRENCY}");
    }
    let catalog = std::env::temp_dir().join(format!("kaifang-bench-catalog-{}", std::process::id()));
    write_sample_catalog(&catalog, "yunnan")?;
    let app = super::router(IntakeConfig::new(database_url).catalog(&catalog)).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr: SocketAddr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let next = Arc::new(AtomicUsize::new(0));
    let run_id = super::token::new_token();
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let next = next.clone();
        let run_id = run_id.clone();
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= filings {
                    break;
                }
                let body = serde_json::to_vec(&sample_application(n))?;
                let key = format!("bench-{}-{n}", &run_id[..16]);
                let t = Instant::now();
                let res = client::request(
                    addr,
                    "POST",
                    "/api/v1/filings",
                    &[("Content-Type", "application/json"), ("Idempotency-Key", &key)],
                    &body,
                )
                .await?;
                latencies.push(t.elapsed());
                if res.status != 201 {
                    bail!("filing {n} answered {}: {}", res.status, String::from_utf8_lossy(&res.body));
                }
            }
            anyhow::Ok(latencies)
        }));
    }
    let mut latencies: Vec<Duration> = Vec::with_capacity(filings);
    for w in workers {
        latencies.extend(w.await.context("worker panicked")??);
    }
    let seconds = started.elapsed().as_secs_f64();
    server.abort();
    let _ = std::fs::remove_dir_all(&catalog);
    latencies.sort();
    let pct = |p: f64| {
        latencies[((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1].as_secs_f64() * 1000.0
    };
    Ok(BenchReport {
        backend: super::db::Backend::of(database_url).map(|b| format!("{b:?}").to_lowercase()).unwrap_or_default(),
        filings,
        concurrency,
        seconds,
        per_second: filings as f64 / seconds,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        max_ms: latencies.last().map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0),
    })
}
