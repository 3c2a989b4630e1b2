//! `kaifang serve`: the built app, a built catalog and the intake API behind one address.
//!
//! Layout of the address space:
//! - `/api/v1/…`  the intake API (`/api/v1/health` answers here);
//! - `/catalog/…` the static catalog, with HTTP Range support for streaming previews;
//! - anything else: the app's files, falling back to `index.html` so that deep links
//!   such as `/datasets/abc` load the single-page app.

use crate::intake;
use anyhow::Context;
use axum::{http::HeaderValue, routing::get, Json, Router};
use clap::Parser;
use kaifang_core::catalog::CatalogIndex;
use std::net::SocketAddr;
use std::path::PathBuf;
use tower_http::compression::Compression;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

#[derive(Parser, Clone)]
pub struct Args {
    /// The app built by Trunk (its dist folder).
    #[arg(long, default_value = "dist")]
    pub app: PathBuf,
    /// A static catalog built by `kaifang catalog build`.
    #[arg(long, default_value = "target/site/catalog")]
    pub catalog: PathBuf,
    /// Folder for the intake's SQLite database (`intake.sqlite`); `KAIFANG_DATABASE_URL`
    /// (e.g. `postgres://…`) puts the intake on another database instead.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Address to listen on; port 0 picks a free port (the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
}

/// What browsers may load: this origin only (MISSION X3: no third-party requests).
const CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

pub async fn run(args: Args) -> anyhow::Result<()> {
    let index_path = args.catalog.join("catalog.json");
    let index: CatalogIndex = serde_json::from_slice(
        &std::fs::read(&index_path).with_context(|| format!("reading {}", index_path.display()))?,
    )
    .with_context(|| format!("{} is not a Kaifang catalog", index_path.display()))?;
    std::fs::create_dir_all(&args.data).with_context(|| format!("creating {}", args.data.display()))?;
    if !args.app.join("index.html").exists() {
        anyhow::bail!("{} has no index.html: build the app first (`cargo xtask run` does)", args.app.display());
    }

    let db_path = args.data.join("intake.sqlite");
    let intake_cfg = intake::IntakeConfig::new(
        std::env::var("KAIFANG_DATABASE_URL").unwrap_or_else(|_| format!("sqlite:{}", db_path.display())),
    )
    .catalog(&args.catalog);
    let intake = intake::router(intake_cfg).await.context("starting the intake")?;
    let app = router(&args, &index, intake);
    let listener = tokio::net::TcpListener::bind(args.addr).await.with_context(|| format!("binding {}", args.addr))?;
    let addr = listener.local_addr()?;
    println!("Kaifang is serving {} ({} datasets) on http://{addr}/", index.portal.name, index.dataset_count);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// `intake` holds the intake's routes (their paths start with `/api/v1`).
pub fn router(args: &Args, index: &CatalogIndex, intake: Router) -> Router {
    let health = serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "catalog": { "build_hash": index.build_hash, "datasets": index.dataset_count },
    });
    let api = Router::new().route("/health", get(move || async move { Json(health.clone()) }));

    // The app's files are compressed on the way out (the wasm shrinks to about a third):
    // `.br`/`.gz` siblings written at build time (`cargo xtask` does) are sent as they are —
    // compressing the wasm per request cost 150–250 ms of a cold page load — and files
    // without them are compressed on the fly. The catalog is not compressed, so Range reads
    // of data files stay byte-exact.
    let index = ServeFile::new(args.app.join("index.html")).precompressed_br().precompressed_gzip();
    let spa = Compression::new(ServeDir::new(&args.app).precompressed_br().precompressed_gzip().fallback(index));
    Router::new()
        .nest("/api/v1", api)
        .merge(intake)
        .nest_service("/catalog", ServeDir::new(&args.catalog))
        .fallback_service(spa)
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}
