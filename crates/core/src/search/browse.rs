//! Browse pages: listings a static host can serve without running a search, because each
//! is a file the build writes (MISSION B4; pre-rendered pages, docs/pages.md).
//!
//! A browse view is the plain listing, or the listing narrowed to one domain (数据领域) or
//! one department (数源部门), on one page: `/`, `/page/2`, `/browse/theme/<key>`,
//! `/browse/dept/<key>/page/3`. Any other search state (a query, two filters, another
//! sort) lives in the URL's query string and needs the app.

use super::manifest::Facet;
use super::state::{encode, SearchState};

/// The facets that have browse pages.
pub const BROWSE_FACETS: [Facet; 2] = [Facet::Theme, Facet::Department];

/// A listing a static file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowseView {
    /// `None`: every dataset.
    pub filter: Option<(Facet, String)>,
    /// 1-based.
    pub page: usize,
}

impl BrowseView {
    /// The browse view a search state is, if it is one.
    pub fn of_state(s: &SearchState) -> Option<BrowseView> {
        if !s.q.trim().is_empty() || s.sort != Default::default() || s.filters.len() > 1 {
            return None;
        }
        let filter = match s.filters.iter().next() {
            None => None,
            Some((f, values)) if values.len() == 1 && BROWSE_FACETS.contains(f) && valid_key(&values[0]) => {
                Some((*f, values[0].clone()))
            }
            Some(_) => return None,
        };
        Some(BrowseView { filter, page: s.page.max(1) })
    }

    pub fn state(&self) -> SearchState {
        let mut s = SearchState { page: self.page.max(1), ..Default::default() };
        if let Some((f, key)) = &self.filter {
            s.filters.insert(*f, vec![key.clone()]);
        }
        s
    }

    /// The page's address (a folder with `index.html` on a static host; the app reads it
    /// with or without a trailing `/`).
    pub fn path(&self) -> String {
        let mut p = match &self.filter {
            None => String::new(),
            Some((f, key)) => format!("/browse/{}/{}", f.param(), encode(key)),
        };
        if self.page > 1 {
            p.push_str(&format!("/page/{}", self.page));
        }
        if p.is_empty() {
            p.push('/');
        }
        p
    }

    /// Where the page's file lies under the site folder: the path's segments, decoded.
    pub fn file(&self) -> String {
        let mut parts = Vec::new();
        if let Some((f, key)) = &self.filter {
            parts.extend(["browse".to_string(), f.param().to_string(), key.clone()]);
        }
        if self.page > 1 {
            parts.extend(["page".to_string(), self.page.to_string()]);
        }
        parts.push("index.html".into());
        parts.join("/")
    }

    /// Reads a browse address (decoded or not; with or without the trailing `/`).
    pub fn from_path(path: &str) -> Option<BrowseView> {
        let segs: Vec<String> =
            path.trim_matches('/').split('/').filter(|s| !s.is_empty()).map(super::state::decode).collect();
        let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
        let (filter, rest) = match segs.as_slice() {
            ["browse", facet, key, rest @ ..] => {
                let f = Facet::from_param(facet).filter(|f| BROWSE_FACETS.contains(f))?;
                (Some((f, key.to_string())).filter(|(_, k)| valid_key(k)), rest)
            }
            rest => (None, rest),
        };
        if segs.first() == Some(&"browse") && filter.is_none() {
            return None;
        }
        let page = match rest {
            [] => 1,
            ["page", n] => n.parse().ok().filter(|&n| (2..=100_000).contains(&n))?,
            _ => return None,
        };
        if filter.is_none() && page == 1 && !segs.is_empty() {
            return None;
        }
        Some(BrowseView { filter, page })
    }
}

/// Where page `page` (1-based, [`super::PAGE_SIZE`] results) of the catalog's default order
/// lies in its listing files of `listing_size` summaries each: (file number, 1-based; first
/// item in it; items after that), in order. The app and the build read the same slices.
pub fn listing_parts(page: usize, listing_size: usize, count: usize) -> Vec<(usize, usize, usize)> {
    let size = listing_size.max(1);
    let from = (page.max(1) - 1) * super::PAGE_SIZE;
    let to = (from + super::PAGE_SIZE).min(count);
    if from >= to {
        return Vec::new();
    }
    (from / size..=(to - 1) / size)
        .map(|p| {
            let start = from.saturating_sub(p * size);
            let end = (to - p * size).min(size);
            (p + 1, start, end - start)
        })
        .collect()
}

/// A key that can be a folder name: no separators, no dot segments, no control characters.
fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 200
        && key != "."
        && key != ".."
        && !key.chars().any(|c| c == '/' || c == '\\' || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browse_views_round_trip_through_their_paths() {
        let views = [
            BrowseView { filter: None, page: 1 },
            BrowseView { filter: None, page: 7 },
            BrowseView { filter: Some((Facet::Theme, "交通出行".into())), page: 1 },
            BrowseView { filter: Some((Facet::Department, "市交通运输局".into())), page: 3 },
        ];
        for v in views {
            assert_eq!(BrowseView::from_path(&v.path()), Some(v.clone()), "{}", v.path());
            assert_eq!(BrowseView::of_state(&v.state()), Some(v.clone()));
        }
        assert_eq!(BrowseView { filter: None, page: 1 }.path(), "/");
        assert_eq!(BrowseView { filter: None, page: 2 }.file(), "page/2/index.html");
        let dept = BrowseView { filter: Some((Facet::Department, "市交通运输局".into())), page: 3 };
        assert!(dept.path().ends_with("/page/3"));
        assert_eq!(BrowseView::from_path(&format!("{}/", dept.path())), Some(dept.clone()), "a trailing / is read too");
        assert_eq!(dept.file(), "browse/dept/市交通运输局/page/3/index.html");
        assert!(dept.path().starts_with("/browse/dept/%E5%B8%82"));
    }

    #[test]
    fn listing_parts_cover_a_page_across_listing_files() {
        // 20 results a page over files of 50: page 3 is items 40–59, in files 1 and 2.
        assert_eq!(listing_parts(3, 50, 65), vec![(1, 40, 10), (2, 0, 10)]);
        assert_eq!(listing_parts(1, 50, 65), vec![(1, 0, 20)]);
        assert_eq!(listing_parts(4, 50, 65), vec![(2, 10, 5)], "the last page holds what is left");
        assert_eq!(listing_parts(5, 50, 65), vec![]);
    }

    #[test]
    fn other_states_and_paths_are_not_browse_views() {
        assert_eq!(BrowseView::of_state(&SearchState::from_query("q=公交")), None);
        assert_eq!(BrowseView::of_state(&SearchState::from_query("theme=a&dept=b")), None);
        assert_eq!(BrowseView::of_state(&SearchState::from_query("open=conditional")), None);
        assert_eq!(BrowseView::of_state(&SearchState::from_query("sort=title")), None);
        for p in
            ["/datasets/x", "/browse/open/x/", "/browse/theme/", "/page/1/", "/page/x/", "/browse/theme/../", "/rights"]
        {
            assert_eq!(BrowseView::from_path(p), None, "{p}");
        }
    }
}
