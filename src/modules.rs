//! The app's wasm modules, one per kind of page, so a visitor downloads the code of the page
//! they opened and not the whole portal's (issue 13: the first module was 1 MB brotli).
//! Each is a bin of this crate over the one library, mounting its own app (`crate::app`);
//! crossing from one kind of page to another is a full page load, which the pages built at
//! catalog build time make cheap. `xtask` builds one Trunk shell per module from
//! `index.html` (`xtask/src/build.rs`), the renderer puts each page on its module's shell
//! and `kaifang serve` answers each path with it.

/// A kind of page, and the module that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Module {
    /// The front page, browse pages, rights and the not-found page (`kaifang-web`).
    Home,
    /// A dataset's page (`kaifang-dataset`).
    Dataset,
    /// The filing forms (`kaifang-filing`).
    Filing,
    /// A person's own pages: "my data" (favourites, kept copies) and "my filings" (`kaifang-my`).
    My,
    /// The provider's desk (`kaifang-desk`).
    Desk,
}

impl Module {
    pub const ALL: [Module; 5] = [Module::Home, Module::Dataset, Module::Filing, Module::My, Module::Desk];

    /// The module whose routes hold `path` (an address's path, without query).
    pub fn of(path: &str) -> Module {
        let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
        match first {
            "datasets" => Module::Dataset,
            "file" => Module::Filing,
            "my" | "filings" => Module::My,
            "desk" => Module::Desk,
            _ => Module::Home,
        }
    }

    /// Its name: the bin is `kaifang-<name>` (the home module's is `kaifang-web`).
    pub fn name(self) -> &'static str {
        match self {
            Module::Home => "web",
            Module::Dataset => "dataset",
            Module::Filing => "filing",
            Module::My => "my",
            Module::Desk => "desk",
        }
    }

    /// Its Trunk shell in the built app's folder; its files are beside it.
    pub fn shell(self) -> String {
        match self {
            Module::Home => "index.html".into(),
            m => format!("{}index.html", m.dir()),
        }
    }

    /// The folder of its files in the built app (and the address they are served under,
    /// with a leading `/`): empty for the home module, `modules/<name>/` for the others.
    pub fn dir(self) -> String {
        match self {
            Module::Home => String::new(),
            m => format!("modules/{}/", m.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Module;

    #[test]
    fn each_route_belongs_to_one_module() {
        for (path, m) in [
            ("/", Module::Home),
            ("/page/2", Module::Home),
            ("/browse/theme/交通/page/2", Module::Home),
            ("/my", Module::My),
            ("/rights", Module::Home),
            ("/no/such/page", Module::Home),
            ("/datasets/jt-bus-stops", Module::Dataset),
            ("/datasets/jt-bus-stops/", Module::Dataset),
            ("/file/apply", Module::Filing),
            ("/filings", Module::My),
            ("/mystery", Module::Home),
            ("/desk", Module::Desk),
            ("/desking", Module::Home),
        ] {
            assert_eq!(Module::of(path), m, "{path}");
        }
    }

    #[test]
    fn every_module_is_a_bin_of_the_crate() {
        let manifest = include_str!("../Cargo.toml");
        for m in Module::ALL {
            assert!(manifest.contains(&format!("name = \"kaifang-{}\"", m.name())), "no bin kaifang-{}", m.name());
        }
        assert_eq!(Module::Dataset.shell(), "modules/dataset/index.html");
        assert_eq!(Module::Home.shell(), "index.html");
    }
}
