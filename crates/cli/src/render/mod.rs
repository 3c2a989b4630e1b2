//! `kaifang render`: every page a reader or a crawler can ask for, as an HTML document
//! written before any wasm runs — the front page and browse pages with their results,
//! every dataset page, the rights page, the filing pages, `404.html` — plus `sitemap.xml`,
//! `robots.txt` and `favicon.ico`, next to the app's own files: one folder any static host
//! serves (docs/pages.md). The pages are the app's own components rendered natively
//! (`kaifang_web::prerender`); the app takes them over in the browser.

mod install;
mod listing;
pub mod template;

use anyhow::Context;
use clap::Parser;
use kaifang_core::catalog::{CatalogIndex, Dataset, DatasetStatus};
use kaifang_core::schema_org::{sitemap, sitemap_index, SitemapEntry, SITEMAP_LIMIT};
use kaifang_core::search::{BrowseView, BROWSE_FACETS};
use kaifang_web::modules::Module;
use kaifang_web::prerender::{render, Built};
use listing::Listings;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use template::Template;

#[derive(Parser, Clone)]
pub struct Args {
    /// A catalog built by `kaifang catalog build`.
    #[arg(long)]
    pub catalog: PathBuf,
    /// The app built by Trunk (its dist folder): its index.html is the pages' shell, and
    /// its files are copied next to the pages.
    #[arg(long, default_value = "dist")]
    pub app: PathBuf,
    /// The site folder to write (pages, sitemap, robots.txt, the app's files).
    #[arg(long)]
    pub out: PathBuf,
    /// The portal's public address for canonical links and the sitemap (default: the
    /// catalog's `portal.url`).
    #[arg(long)]
    pub base_url: Option<String>,
}

/// The favicon every page names (a 32 × 32 icon, committed as made).
const FAVICON: &[u8] = include_bytes!("favicon.ico");

pub fn run(args: Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let index: CatalogIndex = read_json(&args.catalog.join("catalog.json"))?;
    let site = Site {
        pages: Pages::from_app(&args.app, args.base_url.as_deref(), index)?,
        out: args.out.clone(),
        written: Default::default(),
    };
    for m in Module::ALL {
        copy_app_files(&args.app.join(m.dir()), &args.out.join(m.dir()))?;
    }
    let mut sitemap_entries = vec![];
    let browse = site.browse_pages(&args.catalog, &mut sitemap_entries)?;
    let datasets = site.dataset_pages(&args.catalog, &mut sitemap_entries)?;
    site.own_pages()?;
    write_sitemap(&args.out, &site.pages.base, &sitemap_entries)?;
    write(&args.out.join("robots.txt"), robots(&site.pages.base).as_bytes())?;
    write(&args.out.join("favicon.ico"), FAVICON)?;
    write(&args.out.join("manifest.webmanifest"), install::manifest(&site.pages.catalog.portal).as_bytes())?;
    for (name, png) in install::icons() {
        write(&args.out.join(name), &png)?;
    }
    let (pages, bytes) = site.written.get();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    println!(
        "rendered {pages} pages ({datasets} datasets, {browse} browse pages) into {}: {:.1} MB, {:.0} ms ({:.2} ms a page)",
        args.out.display(),
        bytes as f64 / 1e6,
        ms,
        ms / pages.max(1) as f64
    );
    Ok(())
}

/// Renders pages over one catalog into the app's shell: the build's, and `kaifang serve`'s
/// when the intake changed a dataset's status after the build.
pub struct Pages {
    /// Each module's shell (`kaifang_web::modules`): a page is built on its module's.
    templates: HashMap<Module, Template>,
    /// The portal's public address, without a trailing `/`.
    pub base: String,
    catalog: CatalogIndex,
}

impl Pages {
    /// Over the app built into `app` (Trunk's dist folder, every module's shell in it).
    pub fn from_app(app: &Path, base_url: Option<&str>, catalog: CatalogIndex) -> anyhow::Result<Pages> {
        let base = base_url.unwrap_or(&catalog.portal.url).trim_end_matches('/').to_string();
        let mut templates = HashMap::new();
        for m in Module::ALL {
            let file = app.join(m.shell());
            let shell = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}: build the app first (`cargo xtask run` does)", file.display()))?;
            templates.insert(m, Template::parse(&shell).with_context(|| file.display().to_string())?);
        }
        Ok(Pages { templates, base, catalog })
    }

    /// The app at `path` over `built`, as a document.
    pub fn render(&self, path: &str, built: Built, first_table: Option<&str>) -> anyhow::Result<String> {
        let record = match &built.dataset {
            Some(d) => Some((d.id.clone(), serde_json::to_string(d)?)),
            None => None,
        };
        let r = render(path, built);
        let head = r.head.with_context(|| format!("{path}: the page published no head"))?;
        let record = record.as_ref().map(|(id, json)| (id.as_str(), json.as_str()));
        let template = &self.templates[&Module::of(path)];
        Ok(template.page(&head, &self.base, &self.catalog.portal.name, &r.body, first_table, record))
    }

    /// A dataset's page, with its first screen of rows read from the catalog at `catalog_dir`.
    pub fn dataset(&self, catalog_dir: &Path, d: Dataset) -> anyhow::Result<String> {
        let path = format!("/datasets/{}", d.id);
        let first = d.early_preview_file().map(|f| format!("/catalog/{}", f.path));
        let first_rows = d.early_preview_file().and_then(|f| first_rows(catalog_dir, f));
        self.render(&path, Built { dataset: Some(d), first_rows, ..self.built() }, first.as_deref())
    }

    fn built(&self) -> Built {
        Built { catalog: self.catalog.clone(), dataset: None, results: None, first_rows: None }
    }
}

struct Site {
    pages: Pages,
    out: PathBuf,
    /// (pages, bytes) written so far.
    written: std::cell::Cell<(usize, u64)>,
}

impl Site {
    /// Renders the app at `path` over `built` and writes it to `file` (under the site).
    fn page(&self, path: &str, built: Built, file: &str) -> anyhow::Result<()> {
        let html = self.pages.render(path, built, None)?;
        self.save(file, &html)
    }

    fn save(&self, file: &str, html: &str) -> anyhow::Result<()> {
        write(&self.out.join(file), html.as_bytes())?;
        let (n, b) = self.written.get();
        self.written.set((n + 1, b + html.len() as u64));
        Ok(())
    }

    /// The front page, `/page/n`, and each domain's and department's pages.
    fn browse_pages(&self, catalog_dir: &Path, sitemap: &mut Vec<SitemapEntry>) -> anyhow::Result<usize> {
        let Some(manifest) = self.pages.catalog.search.clone() else {
            anyhow::bail!("this catalog was built without a search index, which the listings come from");
        };
        let vocab = manifest.facets.clone();
        let listings = Listings::load(catalog_dir, manifest)?;
        let mut filters = vec![None];
        for f in BROWSE_FACETS {
            filters.extend(vocab.values(f).iter().filter(|v| v.count > 0).map(|v| Some((f, v.key.clone()))));
        }
        let mut count = 0;
        for filter in filters {
            let mut page = 1;
            loop {
                let view = BrowseView { filter: filter.clone(), page };
                let results = listings.results(&view, &self.pages.catalog)?;
                let pages = listings.pages(results.total);
                let built = Built { results: Some(results), ..self.pages.built() };
                self.page(&view.path(), built, &view.file())?;
                sitemap.push(SitemapEntry { loc: format!("{}{}", self.pages.base, view.path()), lastmod: None });
                count += 1;
                page += 1;
                if page > pages {
                    break;
                }
            }
        }
        Ok(count)
    }

    /// Every dataset's page, with the file its preview opens first named for the early fetch.
    fn dataset_pages(&self, catalog_dir: &Path, sitemap: &mut Vec<SitemapEntry>) -> anyhow::Result<usize> {
        let files = crate::catalog::source::sorted_files(&catalog_dir.join("datasets"), "json")?;
        for f in &files {
            let d: Dataset = read_json(f)?;
            if d.status != DatasetStatus::Withdrawn {
                let loc = format!("{}/datasets/{}", self.pages.base, d.id);
                sitemap.push(SitemapEntry { loc, lastmod: Some(d.modified.as_str().to_string()) });
            }
            let file = format!("datasets/{}/index.html", d.id);
            self.save(&file, &self.pages.dataset(catalog_dir, d)?)?;
        }
        Ok(files.len())
    }

    /// Rights, "my data", "my filings", the desk, the filing forms and the not-found page.
    fn own_pages(&self) -> anyhow::Result<()> {
        for (path, file) in [
            ("/rights", "rights/index.html"),
            ("/my", "my/index.html"),
            ("/filings", "filings/index.html"),
            ("/desk", "desk/index.html"),
        ] {
            self.page(path, self.pages.built(), file)?;
        }
        for kind in kaifang_web::pages::filing::FormKind::ALL {
            let path = format!("/file/{}", kind.slug());
            self.page(&path, self.pages.built(), &format!("file/{}/index.html", kind.slug()))?;
        }
        self.page("/404", self.pages.built(), "404.html")
    }
}

/// Rows in a dataset page's first screen of preview, as the build writes them.
const FIRST_SCREEN_ROWS: usize = 20;

/// The first screen of a delimited file's rows; `None` when the file cannot be read (the
/// page then shows the preview as the app will load it, and the check reports the file).
fn first_rows(
    catalog_dir: &Path,
    f: &kaifang_core::catalog::Distribution,
) -> Option<kaifang_web::prerender::FirstRows> {
    use kaifang_core::table::Table;
    use kaifang_web::components::preview::loader::{reader_options, FIRST_SCREEN_BYTES};
    use std::io::Read;
    let mut bytes = Vec::with_capacity(FIRST_SCREEN_BYTES);
    std::fs::File::open(catalog_dir.join(&f.path))
        .ok()?
        .take(FIRST_SCREEN_BYTES as u64)
        .read_to_end(&mut bytes)
        .ok()?;
    let mut whole = bytes.len() < FIRST_SCREEN_BYTES;
    // Whole records only: cut after the last line break the window holds.
    if !whole {
        let end = bytes.iter().rposition(|&b| b == b'\n')?;
        bytes.truncate(end + 1);
    }
    // Read as the preview reads it (encoding, stated header row), so the page and the app agree.
    let (mut table, layout, _) = Table::from_csv_bytes(&bytes, reader_options(f)).ok()?;
    whole &= table.rows.len() <= FIRST_SCREEN_ROWS;
    table.rows.truncate(FIRST_SCREEN_ROWS);
    Some(kaifang_web::prerender::FirstRows { path: f.path.clone(), layout, table, whole })
}

/// The app's files (scripts, wasm, their compressed siblings) next to the pages; its
/// index.html is not one of them: every page is built on it instead. A module's `snippets/`
/// (the JS wasm-bindgen copies, a split module's parts: xtask/src/split.rs) goes whole.
fn copy_app_files(app: &Path, out: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for e in std::fs::read_dir(app).with_context(|| format!("reading {}", app.display()))? {
        let e = e?;
        let name = e.file_name();
        let name_s = name.to_string_lossy();
        if e.file_type()?.is_file() && !name_s.starts_with("index.html") {
            std::fs::copy(e.path(), out.join(&name)).with_context(|| format!("copying {name_s}"))?;
        } else if e.file_type()?.is_dir() && name_s == "snippets" {
            copy_tree(&e.path(), &out.join(&name))?;
        }
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for e in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_tree(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), &target).with_context(|| format!("copying {}", e.path().display()))?;
        }
    }
    Ok(())
}

fn write_sitemap(out: &Path, base: &str, entries: &[SitemapEntry]) -> anyhow::Result<()> {
    if entries.len() <= SITEMAP_LIMIT {
        return write(&out.join("sitemap.xml"), sitemap(entries).as_bytes());
    }
    let mut parts = vec![];
    for (i, chunk) in entries.chunks(SITEMAP_LIMIT).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        write(&out.join(&name), sitemap(chunk).as_bytes())?;
        parts.push(format!("{base}/{name}"));
    }
    write(&out.join("sitemap.xml"), sitemap_index(&parts).as_bytes())
}

/// Crawlers may read every public page; personal pages, forms and the API are not for them.
fn robots(base: &str) -> String {
    format!("User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /my\nDisallow: /filings\nDisallow: /desk\nDisallow: /file/\n\nSitemap: {base}/sitemap.xml\n")
}

fn read_json<T: serde::de::DeserializeOwned>(p: &Path) -> anyhow::Result<T> {
    let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("{} is not what a built catalog holds", p.display()))
}

fn write(p: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(p, bytes).with_context(|| format!("writing {}", p.display()))
}
