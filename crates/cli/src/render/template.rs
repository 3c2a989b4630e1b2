//! The app's `index.html` (as Trunk wrote it: hashed script names, inlined styles) made into
//! one page: the page's head tags in place of the shell's `<title>`, the rendered app in
//! `<div id="app">`, and the file the dataset page previews first named on `<html>`.

use kaifang_web::head::Head;

pub struct Template {
    /// Up to `<title>`, the head tags, and from after `</title>` to `<body>` inclusive.
    before_title: String,
    head_to_body: String,
    /// After `<body>`, without the shell's `<noscript>` line (the page is there now).
    after_body: String,
}

impl Template {
    pub fn parse(index_html: &str) -> anyhow::Result<Template> {
        let t0 = index_html.find("<title>").ok_or_else(|| anyhow::anyhow!("index.html has no <title>"))?;
        let t1 = index_html[t0..]
            .find("</title>")
            .map(|i| t0 + i + "</title>".len())
            .ok_or_else(|| anyhow::anyhow!("index.html: <title> is not closed"))?;
        let b0 = index_html[t1..]
            .find("<body>")
            .map(|i| t1 + i + "<body>".len())
            .ok_or_else(|| anyhow::anyhow!("index.html has no <body>"))?;
        let mut after = index_html[b0..].to_string();
        if let (Some(n0), Some(n1)) = (after.find("<noscript>"), after.find("</noscript>")) {
            after.replace_range(n0..n1 + "</noscript>".len(), "");
        }
        Ok(Template {
            before_title: index_html[..t0].to_string(),
            head_to_body: index_html[t1..b0].to_string(),
            after_body: after,
        })
    }

    /// The page's document. `record`: a dataset page's record as JSON, carried in the head
    /// so the app reads it there instead of fetching what the page already holds.
    pub fn page(
        &self,
        head: &Head,
        base: &str,
        site_name: &str,
        body: &str,
        first_table: Option<&str>,
        record: Option<(&str, &str)>,
    ) -> String {
        let mut out = String::with_capacity(self.before_title.len() + self.after_body.len() + body.len() + 2048);
        let before = match first_table {
            Some(url) => name_first_table(&self.before_title, url),
            None => self.before_title.clone(),
        };
        out.push_str(&before.replacen("lang=\"zh-CN\"", &format!("lang=\"{}\"", head.lang), 1));
        out.push_str(&head_tags(head, base, site_name));
        if let Some((id, json)) = record {
            // A data block, never run. Every `<` is escaped, not only `</`: catalog text with
            // `<!--<script>` would otherwise put the parser in the "double escaped" state, where
            // the block's own `</script>` does not end it and the rest of the page is swallowed
            // (found by tests/e2e/hostile.test.mjs).
            out.push_str(&format!(
                "    <script type=\"application/json\" id=\"kaifang-record\" data-id=\"{}\">{}</script>\n",
                attr(id),
                kaifang_core::schema_org::script_json(json)
            ));
        }
        out.push_str(&self.head_to_body);
        out.push_str("<div id=\"app\" data-prerendered=\"\">");
        out.push_str(body);
        out.push_str("</div>");
        out.push_str(&self.after_body);
        out
    }
}

/// `<title>`, description, canonical address, Open Graph, robots, alternates and JSON-LD.
fn head_tags(h: &Head, base: &str, site_name: &str) -> String {
    let url = format!("{base}{}", h.path);
    let locale = if h.lang == "en" { "en_US" } else { "zh_CN" };
    let mut s = format!(
        "<title>{title}</title>\n    <meta name=\"description\" content=\"{desc}\" />\n    \
         <link rel=\"canonical\" href=\"{url}\" data-base=\"{base}\" />\n    \
         <meta property=\"og:type\" content=\"{og}\" />\n    <meta property=\"og:title\" content=\"{title}\" />\n    \
         <meta property=\"og:description\" content=\"{desc}\" />\n    <meta property=\"og:url\" content=\"{url}\" />\n    \
         <meta property=\"og:site_name\" content=\"{site}\" />\n    <meta property=\"og:locale\" content=\"{locale}\" />\n    \
         <link rel=\"icon\" href=\"/favicon.ico\" sizes=\"32x32\" />\n    \
         <link rel=\"alternate\" type=\"application/json\" href=\"/catalog/data.json\" title=\"DCAT-US\" />\n    \
         <link rel=\"alternate\" type=\"application/ld+json\" href=\"/catalog/catalog.jsonld\" title=\"DCAT-AP\" />\n",
        title = attr(&h.title),
        desc = attr(&h.description),
        url = attr(&url),
        base = attr(base),
        og = h.og_type,
        site = attr(site_name),
    );
    if h.noindex {
        s.push_str("    <meta name=\"robots\" content=\"noindex\" />\n");
    }
    if let Some(ld) = &h.json_ld {
        // `schema_org::script_text` escaped `<`, `>` and `&`: the text cannot end the element.
        s.push_str(&format!("    <script type=\"application/ld+json\">{ld}</script>\n"));
    }
    s
}

/// Text for an attribute value or an element's text.
pub fn attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// `html` with `data-first-table="{url}"` on its `<html>` element, so index.html's early
/// fetch asks for the first bytes of the file the dataset page previews first at once.
pub fn name_first_table(html: &str, url: &str) -> String {
    match html.find("<html") {
        Some(at) => {
            let at = at + "<html".len();
            format!("{} data-first-table=\"{}\"{}", &html[..at], attr(url), &html[at..])
        }
        None => html.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHELL: &str = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\" /><title>开放数据目录 · Kaifang</title><style>x</style></head><body><noscript>本站需要启用 JavaScript。</noscript><script src=\"/a.js\"></script></body></html>";

    #[test]
    fn a_page_carries_its_head_and_body_and_no_shell_title() {
        let t = Template::parse(SHELL).unwrap();
        let head = Head {
            title: "公交站点 <b>&</b>".into(),
            description: "“引号” \"x\"".into(),
            path: "/datasets/jt-bus-stops".into(),
            og_type: "article",
            json_ld: Some("{\"@type\":\"Dataset\"}".into()),
            noindex: false,
            lang: "zh-CN",
        };
        let record = "{\"t\":\"</script>\",\"d\":\"<!--<script>x\"}";
        let html = t.page(
            &head,
            "https://data.example.cn",
            "示例市",
            "<main>正文</main>",
            Some("/catalog/files/a.csv"),
            Some(("jt-bus-stops", record)),
        );
        // MISSION X4: no `<` of catalog text reaches the data block, so nothing in it can end
        // it early or keep it from ending (`<!--<script>`).
        let block = "<script type=\"application/json\" id=\"kaifang-record\" data-id=\"jt-bus-stops\">{\"t\":\"\\u003c/script\\u003e\",\"d\":\"\\u003c!--\\u003cscript\\u003ex\"}</script>";
        assert!(html.contains(block), "{html}");
        let carried: serde_json::Value = serde_json::from_str(&kaifang_core::schema_org::script_json(record)).unwrap();
        assert_eq!(carried["d"], "<!--<script>x", "the app reads back the text as it was");
        assert!(html.starts_with("<!DOCTYPE html><html data-first-table=\"/catalog/files/a.csv\" lang=\"zh-CN\">"));
        assert!(html.contains("<title>公交站点 &lt;b&gt;&amp;&lt;/b&gt;</title>"), "{html}");
        assert!(!html.contains("Kaifang</title>"));
        assert!(html.contains("<link rel=\"canonical\" href=\"https://data.example.cn/datasets/jt-bus-stops\""));
        assert!(html.contains("content=\"“引号” &quot;x&quot;\""));
        assert!(html
            .contains("<div id=\"app\" data-prerendered=\"\"><main>正文</main></div><script src=\"/a.js\"></script>"));
        assert!(!html.contains("<noscript>本站"), "the shell's 'needs JavaScript' line is gone");
        assert!(html.contains("<style>x</style>"), "the styles stay");
    }

    #[test]
    fn the_named_file_is_attribute_escaped() {
        let html = name_first_table("<html lang=\"en\">", "/catalog/files/a\"b<c>&d.csv");
        assert_eq!(html, "<html data-first-table=\"/catalog/files/a&quot;b&lt;c&gt;&amp;d.csv\" lang=\"en\">");
        assert_eq!(name_first_table("no html element", "/x"), "no html element");
    }
}
