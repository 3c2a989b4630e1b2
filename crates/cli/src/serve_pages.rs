//! `kaifang serve --pages DIR`: the pages `kaifang render` wrote, answered as a static host
//! configured as docs/pages.md says would answer them — and a little more, because this
//! server also runs the intake:
//! - `/`, `/rights`, `/browse/…`, `/datasets/<id>`…: the page's `index.html` (a trailing
//!   `/` or not);
//! - a dataset the intake has suspended, withdrawn or reopened since the build: its page
//!   rendered again with the live status, so a reader without JavaScript sees it too;
//! - a withdrawn dataset: its page (the record and the withdrawal notice stay readable)
//!   with 410 Gone;
//! - `sitemap.xml`, `robots.txt`, `favicon.ico` and the app's files as they are;
//! - anything else: `404.html` with 404.

use crate::intake::Intake;
use crate::render::Pages;
use crate::serve::Args;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use kaifang_core::catalog::{self, CatalogIndex, Dataset, DatasetStatus};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_http::services::ServeDir;

struct PageState {
    dir: PathBuf,
    catalog_dir: PathBuf,
    pages: Pages,
    intake: Arc<Intake>,
    /// When the catalog was built: reopenings after it are versions its records lack.
    built_at: String,
}

/// The pages' routes: dataset pages and every path the API and the catalog do not answer.
pub fn routes(args: &Args, dir: &Path, index: CatalogIndex, intake: Arc<Intake>) -> anyhow::Result<Router> {
    let built_at = index.built_at.clone();
    let state = Arc::new(PageState {
        built_at,
        dir: dir.to_path_buf(),
        catalog_dir: args.catalog.clone(),
        pages: Pages::from_app(&args.app, None, index)?,
        intake,
    });
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip().append_index_html_on_directories(false);
    let pages = axum::routing::get(move |req: Request| answer(state.clone(), files.clone(), req))
        .layer(tower_http::compression::CompressionLayer::new());
    Ok(Router::new().route("/datasets/{id}", pages.clone()).route("/datasets/{id}/", pages.clone()).fallback(pages))
}

async fn answer(state: Arc<PageState>, files: ServeDir, req: Request) -> Response {
    let path = kaifang_core::search::state::decode(req.uri().path());
    let Some(rel) = page_file(&path) else { return not_found(&state.dir).await };
    if let Some(id) = path.trim_end_matches('/').strip_prefix("/datasets/") {
        return dataset(&state, id).await;
    }
    if let Some(html) = read(&state.dir.join(&rel)).await {
        return html_response(StatusCode::OK, html);
    }
    // Not a page: one of the site's files (sitemap, robots.txt, favicon, the app's own).
    match tower::ServiceExt::oneshot(files, req).await {
        Ok(res) if res.status() != StatusCode::NOT_FOUND => res.into_response(),
        _ => not_found(&state.dir).await,
    }
}

/// A dataset's page with its live status: as built, or rendered again when the intake
/// changed the status since the build; 410 once withdrawn.
async fn dataset(state: &PageState, id: &str) -> Response {
    if !catalog::valid_id(id) {
        return not_found(&state.dir).await;
    }
    let Some(mut d) = read(&state.catalog_dir.join(catalog::record_path(id)))
        .await
        .and_then(|r| serde_json::from_str::<Dataset>(&r).ok())
    else {
        return not_found(&state.dir).await;
    };
    let overlay = state.intake.overlay().await.ok().map(|datasets| kaifang_core::overlay::StatusOverlay { datasets });
    let live = overlay.as_ref().and_then(|o| o.datasets.get(id).cloned());
    let html = match live.filter(|e| e.status != d.status || e.note.is_some() || !e.reopenings.is_empty()) {
        Some(e) => {
            d.status = e.status;
            d.status_note = e.note.or(d.status_note);
            // A reopening after processing is a new version (B3): the page says which.
            overlay.iter().for_each(|o| o.apply_versions(&mut d, &state.built_at));
            match state.pages.dataset(&state.catalog_dir, d.clone()) {
                Ok(html) => html,
                Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
            }
        }
        None => match read(&state.dir.join(format!("datasets/{id}/index.html"))).await {
            Some(html) => html,
            None => return not_found(&state.dir).await,
        },
    };
    let status = if d.status == DatasetStatus::Withdrawn { StatusCode::GONE } else { StatusCode::OK };
    html_response(status, html)
}

/// Where a page's file is under the pages folder; `None` for a path that cannot be one
/// (a dot segment, a backslash).
fn page_file(path: &str) -> Option<String> {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segs.iter().any(|s| *s == "." || *s == ".." || s.contains('\\')) {
        return None;
    }
    let mut rel = segs.join("/");
    if !rel.is_empty() {
        rel.push('/');
    }
    rel.push_str("index.html");
    Some(rel)
}

async fn not_found(dir: &Path) -> Response {
    let html =
        read(&dir.join("404.html")).await.unwrap_or_else(|| "<!DOCTYPE html><title>404</title><h1>404</h1>".into());
    html_response(StatusCode::NOT_FOUND, html)
}

async fn read(p: &Path) -> Option<String> {
    tokio::fs::read_to_string(p).await.ok()
}

fn html_response(status: StatusCode, html: String) -> Response {
    let mut res = (status, html).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

#[cfg(test)]
mod tests {
    use super::page_file;

    #[test]
    fn page_files_stay_inside_the_folder() {
        assert_eq!(page_file("/").as_deref(), Some("index.html"));
        assert_eq!(page_file("/rights/").as_deref(), Some("rights/index.html"));
        assert_eq!(
            page_file("/browse/dept/市交通运输局/page/2").as_deref(),
            Some("browse/dept/市交通运输局/page/2/index.html")
        );
        assert_eq!(page_file("/../etc/passwd"), None);
        assert_eq!(page_file("/a/./b"), None);
        assert_eq!(page_file("/a\\..\\b"), None);
    }
}
