//! `kaifang serve`: the built app, a built catalog and the intake API behind one address.
//!
//! Layout of the address space:
//! - `/api/v1/…`  the intake API (`/api/v1/health` answers here);
//! - `/catalog/files/…` the data files, byte-exact with HTTP Range support (streaming
//!   previews read ranges; download bundles check sha256): never compressed;
//! - `/catalog/…` the rest of the catalog (catalog.json, records, listing pages, search
//!   index): gzip-compressed for browsers that accept it — the precompressed `.gz`
//!   siblings `catalog build` writes where there is one, compressed on the way out
//!   otherwise;
//! - `/datasets/{id}`: `index.html` naming the file the dataset page previews first (see
//!   [`dataset_page`]);
//! - anything else: the app's files, falling back to the shell of the module that holds the
//!   path (`kaifang_web::modules`: `index.html`, or `modules/<name>/index.html` for
//!   `/file/…`, `/filings`, `/desk`) so that deep links load the app; its content-hashed files are cached by
//!   browsers for a year (see [`cache_policy`]).

use crate::{edge, intake};
use anyhow::Context;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::serve::{ListenerExt, TapIo};
use axum::{http::HeaderValue, routing::get, Json, Router};
use clap::Parser;
use kaifang_core::catalog::{self, CatalogIndex};
use kaifang_web::modules::Module;
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
    /// The pages `kaifang render` wrote: served first, with 404 and 410 where they apply
    /// (see [`crate::serve_pages`]). Without it every path gets the app's index.html.
    #[arg(long)]
    pub pages: Option<PathBuf>,
    /// The intake's configuration file: `[sign_in]` (the identity provider, claim names,
    /// group rules) and `[notify]` (SMTP for messages to filers); see `docs/sign-in.md`.
    #[arg(long, env = "KAIFANG_INTAKE_CONFIG")]
    pub intake_config: Option<PathBuf>,
    /// Runs the intake's clock from this instant (RFC 3339 UTC, `2027-02-01T02:00:00Z`),
    /// advancing in real time, instead of the system clock: journeys and demonstrations
    /// move past reply dates with it (a restart on the same data). Never for a portal.
    #[arg(long, env = "KAIFANG_CLOCK_START", hide = true)]
    pub clock_start: Option<String>,
    /// Timeouts, connection caps, rate limits, trusted proxies, HSTS (`edge`).
    #[command(flatten)]
    pub edge: edge::EdgeArgs,
}

/// What browsers may load: this origin only (MISSION X3: no third-party requests). Scripts:
/// files from this origin and the shell's own inline scripts by their hashes ([`csp`]), never
/// any other inline script. Styles stay `'unsafe-inline'`: Leptos writes `style` attributes.
const CSP_REST: &str = "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The Content-Security-Policy for an app whose shell is `index_html`: its inline scripts
/// (index.html's early fetch, Trunk's loader) allowed by their sha256, nothing else inline.
/// Data blocks (`application/json`, `application/ld+json`) are never run and need none.
pub fn csp(index_html: &str) -> String {
    use sha2::Digest;
    let mut hashes = String::new();
    for body in inline_scripts(index_html) {
        let digest = sha2::Sha256::digest(body.as_bytes());
        let source =
            format!(" 'sha256-{}'", base64::Engine::encode(&base64::engine::general_purpose::STANDARD, digest));
        // The modules' shells share the early fetch: each script once.
        if !hashes.contains(&source) {
            hashes.push_str(&source);
        }
    }
    format!("default-src 'self'; script-src 'self'{hashes} 'wasm-unsafe-eval'; {CSP_REST}")
}

/// The bodies of `<script>` elements without `src` that a browser runs.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        let Some(open_end) = rest[at..].find('>').map(|i| at + i + 1) else { break };
        let tag = &rest[at..open_end];
        let Some(close) = rest[open_end..].find("</script>").map(|i| open_end + i) else { break };
        let data_block = tag.contains("application/json") || tag.contains("application/ld+json");
        if !tag.contains(" src=") && !data_block {
            out.push(&rest[open_end..close]);
        }
        rest = &rest[close..];
    }
    out
}

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
    let mut intake_cfg = intake::IntakeConfig::new(
        std::env::var("KAIFANG_DATABASE_URL").unwrap_or_else(|_| format!("sqlite:{}", db_path.display())),
    )
    .catalog(&args.catalog)
    .with_file(args.intake_config.as_deref())?;
    if let Some(start) = &args.clock_start {
        intake_cfg.clock = intake::Clock::starting_at(start)?;
        eprintln!("intake clock starts at {start} (--clock-start)");
    }
    let service = intake::open(&intake_cfg).await.context("starting the intake")?;
    let pages = match &args.pages {
        Some(dir) => Some(crate::serve_pages::routes(&args, dir, index.clone(), service.clone())?),
        None => None,
    };
    let app = router(&args, &index, intake::routes(service), pages);
    // Last, so that its layers cover every route, the pages' included.
    let app = edge::wrap(app, &args.edge);
    let listener = tokio::net::TcpListener::bind(args.addr).await.with_context(|| format!("binding {}", args.addr))?;
    let addr = listener.local_addr()?;
    println!("Kaifang is serving {} ({} datasets) on http://{addr}/", index.portal.name, index.dataset_count);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let drain = std::time::Duration::from_secs(args.edge.request_timeout);
    edge::listen::serve(listener, app, edge::listen::ConnLimits::from(&args.edge), shutdown, drain).await?;
    Ok(())
}

/// The listener with TCP_NODELAY on every connection. Without it a small response (a range of
/// rows, a record) written in two parts waits for the client's delayed ACK: about 40 ms per
/// request, measured on loopback while scrolling a large table.
pub fn no_delay(listener: tokio::net::TcpListener) -> TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)> {
    fn set(tcp: &mut tokio::net::TcpStream) {
        let _ = tcp.set_nodelay(true);
    }
    listener.tap_io(set as fn(&mut tokio::net::TcpStream))
}

/// `intake` holds the intake's routes (their paths start with `/api/v1`).
/// Every route. `pages`: the routes of pre-rendered pages (serve_pages.rs), which then answer
/// every path the API and the catalog do not; without, the single-page app does.
pub fn router(args: &Args, index: &CatalogIndex, intake: Router, pages: Option<Router>) -> Router {
    let health = serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "catalog": { "build_hash": index.build_hash, "datasets": index.dataset_count },
    });
    let api = Router::new().route("/health", get(move || async move { Json(health.clone()) }));
    let portal = index.portal.clone();

    // The app's files are compressed on the way out (the wasm shrinks to about a third):
    // `.br`/`.gz` siblings written at build time (`cargo xtask` does) are sent as they are —
    // compressing the wasm per request cost 150–250 ms of a cold page load — and files
    // without them are compressed on the fly.
    // A path that is no file gets the shell of the module that holds it (kaifang_web::modules:
    // each kind of page is a wasm module of its own; the home module's `index.html` otherwise).
    let app_dir = args.app.clone();
    let shell = tower::service_fn(move |req: axum::extract::Request| {
        let file = app_dir.join(Module::of(req.uri().path()).shell());
        tower::ServiceExt::oneshot(ServeFile::new(file).precompressed_br().precompressed_gzip(), req)
    });
    let spa = Compression::new(ServeDir::new(&args.app).precompressed_br().precompressed_gzip().fallback(shell));
    // Catalog metadata and the search index: `.gz` siblings where the build wrote them
    // (no work per request), compressed on the way out otherwise (records). A response
    // that already has a Content-Encoding is left alone by `Compression`.
    let metadata = Compression::new(ServeDir::new(&args.catalog).precompressed_gzip()).no_br().no_deflate().no_zstd();
    // Data files as they are: Range reads and checksums need the exact bytes. Each names
    // its dataset's page in a `Link: <…>; rel="cite-as"` header (A1, B8).
    let data: Router = Router::new()
        .fallback_service(ServeDir::new(args.catalog.join("files")))
        .layer(axum::middleware::map_response_with_state(portal, cite_as));
    let (app_dir, catalog_dir) = (args.app.clone(), args.catalog.clone());
    let page = get(move |Path(id): Path<String>| dataset_page(app_dir.clone(), catalog_dir.clone(), id))
        .layer(tower_http::compression::CompressionLayer::new());
    let routes = Router::new()
        .nest("/api/v1", api)
        .merge(intake)
        .nest_service("/catalog/files", data)
        .nest_service("/catalog", metadata);
    let routes = if let Some(pages) = pages {
        routes.merge(pages)
    } else {
        routes.route("/datasets/{id}", page.clone()).route("/datasets/{id}/", page).fallback_service(spa)
    };
    // Every module's shell's inline scripts are allowed.
    let shells: String =
        Module::ALL.iter().map(|m| std::fs::read_to_string(args.app.join(m.shell())).unwrap_or_default()).collect();
    routes.layer(axum::middleware::map_response(cache_policy)).layer(SetResponseHeaderLayer::if_not_present(
        axum::http::header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&csp(&shells)).expect("hashes and fixed text are valid header characters"),
    ))
}

/// Adds the `cite-as` link of a data file's dataset (the path is relative to `files/`
/// here), so the bare file still names its source (Aba 36, Xiangxi 41).
async fn cite_as(
    axum::extract::State(portal): axum::extract::State<catalog::Portal>,
    uri: axum::http::Uri,
    mut res: Response,
) -> Response {
    let link =
        kaifang_core::attribution::file_link_header(&portal, uri.path()).and_then(|l| HeaderValue::from_str(&l).ok());
    if let (Some(link), true) = (link, res.status().is_success()) {
        res.headers_mut().insert(header::LINK, link);
    }
    res
}

/// The app's content-hashed files (Trunk names them `kaifang-web-<16 hex>.js` and
/// `…_bg.wasm`) never change under their name: a browser keeps them for a year without
/// asking again, so a returning visitor's page starts from its cache (and Chromium's cache of
/// the compiled wasm) instead of a round trip per file. Everything else is left as it was
/// (index.html says `no-cache` itself; files under fixed names are revalidated).
async fn cache_policy(uri: axum::http::Uri, mut res: Response) -> Response {
    let is_html = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if res.status() == StatusCode::OK && !is_html && is_hashed_app_file(uri.path()) {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    }
    res
}

/// `/name-<hex hash>.ext` or `/name-<hex hash>_bg.wasm` at the app's root or a module's
/// folder (`/modules/<name>/…`), and the files of a module's split parts, in a folder named by
/// the build's hash (`/modules/<name>/snippets/split-<16 hex>/…`, xtask/src/split.rs).
fn is_hashed_app_file(path: &str) -> bool {
    let in_module = path.strip_prefix("/modules/").and_then(|p| p.split_once('/')).map(|(_, rest)| rest);
    if let Some(folder) = in_module.and_then(|rest| rest.strip_prefix("snippets/split-")) {
        let (hash, name) = folder.split_once('/').unwrap_or(("", ""));
        return hash.len() == 16
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
            && !name.is_empty()
            && !name.contains('/')
            && (name.ends_with(".js") || name.ends_with(".wasm"));
    }
    let path = &in_module.map(|rest| format!("/{rest}")).unwrap_or_else(|| path.to_string());
    let Some(name) = path.strip_prefix('/').filter(|n| !n.contains('/')) else { return false };
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        // Trunk writes its u64 hash in hex without leading zeros: 16 digits, or a few fewer.
        Some((base, hash)) => {
            !base.is_empty() && (13..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

/// A deep link to a dataset page: `index.html` with the address of the file the page will
/// preview first in `data-first-table` on `<html>`, so that index.html's early fetch asks for
/// its first bytes at once. Without the hint it learns the address from the record, one round
/// trip later and after a wait for the page's thread, which is busy starting the wasm: the
/// first rows came 60–130 ms later. Unknown ids and datasets without such a file get plain
/// `index.html` (the app shows what it shows for them).
async fn dataset_page(app: PathBuf, catalog: PathBuf, id: String) -> Response {
    let shell = Module::Dataset.shell();
    let html = match tokio::fs::read_to_string(app.join(&shell)).await {
        Ok(html) => html,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, format!("{shell}: {e}")).into_response(),
    };
    let first = if catalog::valid_id(&id) {
        let record = tokio::fs::read(catalog.join(catalog::record_path(&id))).await.ok();
        let dataset = record.and_then(|r| serde_json::from_slice::<catalog::Dataset>(&r).ok());
        dataset.and_then(|d| d.early_preview_file().map(|f| format!("/catalog/{}", f.path)))
    } else {
        None
    };
    let html = match first {
        Some(url) => name_first_table(&html, &url),
        None => html,
    };
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], html).into_response()
}

use crate::render::template::name_first_table;

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{header, Request, StatusCode};
    use http_body_util::BodyExt;
    use std::io::Read;
    use tower::ServiceExt;

    const INDEX: &str = "<!doctype html><html lang=\"zh-CN\"></html>";

    /// A catalog built from the test source (`tests/data/source-ok`) and a stand-in app.
    fn site() -> (tempfile::TempDir, Router) {
        let dir = tempfile::tempdir().unwrap();
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/source-ok");
        let cat = dir.path().join("catalog");
        let build = ["kaifang-catalog", "build", src.to_str().unwrap(), "-o", cat.to_str().unwrap()];
        crate::catalog::run(crate::catalog::Args::try_parse_from(build).unwrap()).unwrap();
        let app = dir.path().join("app");
        std::fs::create_dir_all(&app).unwrap();
        // Every module's shell (kaifang_web::modules), the same document here.
        for m in Module::ALL {
            std::fs::create_dir_all(app.join(m.dir())).unwrap();
            std::fs::write(app.join(m.shell()), INDEX).unwrap();
        }
        let index: CatalogIndex = serde_json::from_slice(&std::fs::read(cat.join("catalog.json")).unwrap()).unwrap();
        let args = Args {
            app,
            catalog: cat,
            data: dir.path().join("data"),
            addr: "127.0.0.1:0".parse().unwrap(),
            pages: None,
            intake_config: None,
            clock_start: None,
            edge: edge::EdgeArgs::defaults(),
        };
        let router = router(&args, &index, Router::new(), None);
        (dir, router)
    }

    async fn get(
        app: &Router,
        path: &str,
        headers: &[(header::HeaderName, &str)],
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let mut req = Request::builder().uri(path);
        for (k, v) in headers {
            req = req.header(k, *v);
        }
        let res = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
        let (parts, body) = res.into_parts();
        (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
    }

    fn gunzip(b: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(b).read_to_end(&mut out).expect("a gzip body");
        out
    }

    #[tokio::test]
    async fn catalog_metadata_and_index_come_gzipped_when_accepted() {
        let (dir, app) = site();
        let cat = dir.path().join("catalog");
        let gz = [(header::ACCEPT_ENCODING, "gzip, deflate, br")];
        let index: CatalogIndex = serde_json::from_slice(&std::fs::read(cat.join("catalog.json")).unwrap()).unwrap();
        let search_dir = index.search.expect("the build writes a search index").dir;
        let shard = format!("{search_dir}/s/0.json");
        // catalog.json and a summary chunk: from their precompressed siblings; a record:
        // compressed on the way out. Each decompresses to exactly the file.
        for path in ["catalog.json", shard.as_str(), "datasets/hb-aqi.json"] {
            let (status, headers, body) = get(&app, &format!("/catalog/{path}"), &gz).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(headers.get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap()), Some("gzip"), "{path}");
            assert!(
                headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with("application/json"),
                "{path}"
            );
            assert_eq!(gunzip(&body), std::fs::read(cat.join(path)).unwrap(), "{path}");
        }
        assert!(cat.join("catalog.json.gz").exists() && cat.join(format!("{shard}.gz")).exists());
        // A browser that does not accept gzip gets the plain file.
        let (_, headers, body) = get(&app, "/catalog/catalog.json", &[]).await;
        assert!(headers.get(header::CONTENT_ENCODING).is_none());
        assert_eq!(body, std::fs::read(cat.join("catalog.json")).unwrap());
    }

    #[tokio::test]
    async fn a_deep_link_gets_the_shell_of_the_module_that_holds_it() {
        let (dir, app) = site();
        for m in [Module::Filing, Module::My, Module::Desk] {
            std::fs::write(dir.path().join("app").join(m.shell()), format!("shell of {}", m.name())).unwrap();
        }
        for (path, shell) in [
            ("/desk", "shell of desk"),
            ("/desk/", "shell of desk"),
            ("/file/apply", "shell of filing"),
            ("/filings", "shell of my"),
            ("/my", "shell of my"),
            ("/no/such/page", INDEX),
            ("/browse/theme/x", INDEX),
        ] {
            let (status, _, body) = get(&app, path, &[]).await;
            assert_eq!((status, String::from_utf8(body).unwrap().as_str()), (StatusCode::OK, shell), "{path}");
        }
    }

    #[tokio::test]
    async fn a_dataset_deep_link_names_the_file_its_preview_opens_first() {
        let (dir, app) = site();
        let cat = dir.path().join("catalog");
        let record: catalog::Dataset =
            serde_json::from_slice(&std::fs::read(cat.join("datasets/hb-aqi.json")).unwrap()).unwrap();
        let first = format!("/catalog/{}", record.early_preview_file().expect("hb-aqi has a CSV").path);
        for path in ["/datasets/hb-aqi", "/datasets/hb-aqi/"] {
            let (status, headers, body) = get(&app, path, &[]).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with("text/html"));
            assert_eq!(
                String::from_utf8(body).unwrap(),
                format!("<!doctype html><html data-first-table=\"{first}\" lang=\"zh-CN\"></html>"),
                "{path}"
            );
        }
        // An unknown or malformed id: the app's page as it is (the app says "not found").
        for path in ["/datasets/no-such-dataset", "/datasets/..%2Fcatalog"] {
            let (status, _, body) = get(&app, path, &[]).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(body, INDEX.as_bytes(), "{path}");
        }
        // Compressed for browsers that accept it, like the rest of the app.
        let (_, headers, body) = get(&app, "/datasets/hb-aqi", &[(header::ACCEPT_ENCODING, "gzip")]).await;
        assert_eq!(headers.get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap()), Some("gzip"));
        assert!(String::from_utf8(gunzip(&body)).unwrap().contains("data-first-table"));
    }

    #[tokio::test]
    async fn the_apps_hashed_files_are_cached_for_good_and_nothing_else_is() {
        let (dir, app) = site();
        let appdir = dir.path().join("app");
        std::fs::write(appdir.join("kaifang-web-0123456789abcdef.js"), "export {}").unwrap();
        std::fs::write(appdir.join("kaifang-web-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
        std::fs::write(appdir.join("scan-worker.js"), "export {}").unwrap();
        for path in ["/kaifang-web-0123456789abcdef.js", "/kaifang-web-0123456789abcdef_bg.wasm"] {
            let (status, headers, _) = get(&app, path, &[]).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=31536000, immutable", "{path}");
        }
        // A worker under a fixed name, index.html, a deep link and an address that falls
        // back to index.html (hash-like, but missing) are asked for again.
        for path in ["/scan-worker.js", "/", "/datasets/x", "/other-0123456789abcdef.js", "/catalog/catalog.json"] {
            let (_, headers, _) = get(&app, path, &[]).await;
            let cache = headers.get(header::CACHE_CONTROL).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
            assert!(!cache.contains("immutable"), "{path}: {cache}");
        }
    }

    #[test]
    fn hashed_names_are_told_from_others() {
        assert!(is_hashed_app_file("/kaifang-web-51e9f4f2d996614b_bg.wasm"));
        assert!(is_hashed_app_file("/kaifang-web-51e9f4f2d996614b.js"));
        assert!(is_hashed_app_file("/modules/desk/kaifang-desk-51e9f4f2d996614b_bg.wasm"));
        assert!(
            is_hashed_app_file("/modules/desk/kaifang-desk-6aab3b7af18e818.js"),
            "a hash with its leading zero dropped"
        );
        assert!(!is_hashed_app_file("/modules/desk/sub/kaifang-desk-51e9f4f2d996614b.js"));
        // A split part and its loader, in the build's folder.
        assert!(is_hashed_app_file("/modules/dataset/snippets/split-3711a0b896a1fa59/split_preview.wasm"));
        assert!(is_hashed_app_file("/modules/dataset/snippets/split-3711a0b896a1fa59/__wasm_split.js"));
        for path in [
            "/modules/dataset/snippets/split-3711a0b896a1fa5/split_preview.wasm",
            "/modules/dataset/snippets/split-3711a0b896a1fa59/a/split_preview.wasm",
            "/modules/dataset/snippets/split-3711a0b896a1fa59/notes.txt",
            "/modules/dataset/snippets/other/split_preview.wasm",
        ] {
            assert!(!is_hashed_app_file(path), "{path}");
        }
        for path in [
            "/scan-worker.js",
            "/scan-worker_bg.wasm",
            "/index.html",
            "/a/kaifang-web-51e9f4f2d996614b.js",
            "/-51e9f4f2d996614b.js",
            "/kaifang-web-51e9f4f2d9.js",
            "/kaifang-web-51e9f4f2d996614z.js",
        ] {
            assert!(!is_hashed_app_file(path), "{path}");
        }
    }

    #[test]
    fn the_policy_allows_the_shells_inline_scripts_by_hash_and_nothing_else_inline() {
        let html = "<head><script>var a = 1;</script><script type=\"module\">import x from '/x.js';</script>\
            <script src=\"/early.js\"></script><script type=\"application/ld+json\">{}</script></head>";
        assert_eq!(inline_scripts(html), vec!["var a = 1;", "import x from '/x.js';"]);
        let policy = csp(html);
        // sha256("var a = 1;") in base64, as a browser computes it.
        assert!(policy.contains("'sha256-+dZ6udsWxNVoGfScAq7t5IIF5UJb4F6RhjbN6oe1p4w='"), "{policy}");
        assert!(!policy.contains("'unsafe-inline' 'wasm"), "no inline script beyond the hashed ones: {policy}");
        assert!(policy.contains("frame-ancestors 'none'") && policy.contains("object-src 'none'"));
    }

    #[tokio::test]
    async fn data_files_are_never_compressed_and_ranges_stay_byte_exact() {
        let (dir, app) = site();
        let cat = dir.path().join("catalog");
        let csv_path = "files/hb-aqi/aqi.csv";
        let csv = std::fs::read(cat.join(csv_path)).unwrap();
        // Even a `.gz` beside a data file is not sent in its place.
        std::fs::write(cat.join(format!("{csv_path}.gz")), b"not the data").unwrap();
        let gz = (header::ACCEPT_ENCODING, "gzip, br");
        let (status, headers, body) = get(&app, &format!("/catalog/{csv_path}"), &[gz.clone()]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers.get(header::CONTENT_ENCODING).is_none());
        assert_eq!(body, csv);
        let (status, headers, body) =
            get(&app, &format!("/catalog/{csv_path}"), &[gz, (header::RANGE, "bytes=5-20")]).await;
        assert_eq!(status, StatusCode::PARTIAL_CONTENT);
        assert!(headers.get(header::CONTENT_ENCODING).is_none());
        assert_eq!(headers.get(header::CONTENT_RANGE).unwrap(), &format!("bytes 5-20/{}", csv.len()));
        assert_eq!(body, &csv[5..=20]);
        // MISSION A1, B8: the bare file names the page that carries its attribution.
        let link = headers.get(header::LINK).expect("a Link header on a data file").to_str().unwrap().to_string();
        assert!(link.ends_with("/datasets/hb-aqi>; rel=\"cite-as\""), "{link}");
        let (_, headers, _) = get(&app, "/catalog/catalog.json", &[]).await;
        assert!(headers.get(header::LINK).is_none(), "metadata files are not data files");
    }
}
