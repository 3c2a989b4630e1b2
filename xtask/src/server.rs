//! A `kaifang serve` child process on a free loopback port, stopped when dropped.

use crate::proc::Result;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct Server {
    child: Child,
    pub url: String,
    pub kaifang: PathBuf,
    pub catalog: PathBuf,
    pub data: PathBuf,
    pub pages: PathBuf,
}

impl Server {
    /// Serves `app` and `catalog` with the intake in `data`, and the pages `kaifang render`
    /// writes first (into `<catalog>-pages`), as a portal runs it.
    pub fn start(kaifang: &Path, app: &Path, catalog: &Path, data: &Path) -> Result<Server> {
        let mut name = catalog.file_name().unwrap_or_default().to_os_string();
        name.push("-pages");
        let pages = catalog.with_file_name(name);
        crate::build::render_pages(kaifang, app, catalog, &pages)?;
        Server::start_site(kaifang, app, catalog, &pages, data)
    }

    /// Serves pages already rendered into `pages`.
    pub fn start_site(kaifang: &Path, app: &Path, catalog: &Path, pages: &Path, data: &Path) -> Result<Server> {
        let mut child = Command::new(kaifang)
            .args(["serve", "--addr", "127.0.0.1:0", "--app"])
            .arg(app)
            .arg("--catalog")
            .arg(catalog)
            .arg("--pages")
            .arg(pages)
            .arg("--data")
            .arg(data)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", kaifang.display()))?;
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        // The first line says where it listens: "Kaifang is serving … on http://127.0.0.1:PORT/".
        let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
        let Some(url) = first.split_whitespace().find(|w| w.starts_with("http://")) else {
            let _ = child.kill();
            return Err(format!("kaifang serve did not start: {first:?}"));
        };
        let url = url.trim_end_matches('/').to_string();
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines.map_while(|l| l.ok()) {});
        Ok(Server {
            child,
            url,
            kaifang: kaifang.into(),
            catalog: catalog.into(),
            data: data.into(),
            pages: pages.into(),
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
