//! Synonyms and abbreviations (医保 ↔ 医疗保障). Chinese government text abbreviates
//! long names, and character bigrams cannot bridge 医保 and 医疗保障 (they share no
//! bigram). The builder therefore indexes, for every field that contains one member of
//! a group, the terms of every other member too; a query needs no expansion and fetches
//! no extra shards. A portal extends the built-in table with `synonyms` in portal.toml.

/// Built-in groups of equivalent terms, common across Chinese open-data portals.
pub const DEFAULT_SYNONYMS: &[&[&str]] = &[
    &["医保", "医疗保障", "医疗保险"],
    &["社保", "社会保险", "社会保障"],
    &["公积金", "住房公积金"],
    &["公交", "公共交通"],
    &["地铁", "轨道交通"],
    &["环保", "环境保护", "生态环境"],
    &["食药", "食品药品"],
    &["市监", "市场监管", "市场监督管理"],
    &["发改", "发展改革", "发展和改革"],
    &["人社", "人力资源和社会保障"],
    &["住建", "住房和城乡建设"],
    &["卫健", "卫生健康"],
    &["应急", "应急管理"],
    &["空气质量", "aqi"],
];

/// A normalised synonym table: groups of at least two distinct, non-empty terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    groups: Vec<Vec<String>>,
}

impl Synonyms {
    /// The built-in table plus a portal's own groups. Groups with fewer than two
    /// distinct members are ignored (they say nothing).
    pub fn with_defaults(extra: &[Vec<String>]) -> Synonyms {
        let mut groups: Vec<Vec<String>> =
            DEFAULT_SYNONYMS.iter().map(|g| g.iter().map(|s| s.to_string()).collect()).collect();
        groups.extend(extra.iter().cloned());
        Synonyms::new(groups)
    }

    pub fn new(groups: Vec<Vec<String>>) -> Synonyms {
        let groups = groups
            .into_iter()
            .map(|g| {
                let mut g: Vec<String> =
                    g.into_iter().map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect();
                g.dedup();
                g
            })
            .filter(|g| g.len() >= 2)
            .collect();
        Synonyms { groups }
    }

    pub fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }

    /// The text to index beside `text`: every other member of each group that `text`
    /// contains, joined by spaces (so their bigrams never join across members).
    pub fn expansion(&self, text: &str) -> String {
        let lower = text.to_lowercase();
        let mut out = String::new();
        for group in &self.groups {
            if group.iter().any(|m| lower.contains(m.as_str())) {
                for m in group.iter().filter(|m| !lower.contains(m.as_str())) {
                    out.push(' ');
                    out.push_str(m);
                }
            }
        }
        out
    }

    /// Problems in a portal's synonym list, for `catalog check` and the builder.
    pub fn validate(extra: &[Vec<String>]) -> Vec<String> {
        extra
            .iter()
            .enumerate()
            .filter_map(|(i, g)| {
                let distinct: std::collections::BTreeSet<&str> =
                    g.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
                (distinct.len() < 2).then(|| format!("synonyms[{i}]: a group needs at least two different terms"))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviation_and_full_form_expand_each_other() {
        let s = Synonyms::with_defaults(&[]);
        assert!(s.expansion("城乡居民医疗保障待遇").contains("医保"));
        assert!(s.expansion("医保定点机构").contains("医疗保障"));
        assert_eq!(s.expansion("公园名录"), "");
    }

    #[test]
    fn portal_groups_extend_the_table() {
        let s = Synonyms::with_defaults(&[vec!["一网通办".into(), "政务服务".into()]]);
        assert!(s.expansion("一网通办事项").contains("政务服务"));
        assert_eq!(Synonyms::validate(&[vec!["甲".into(), " 甲 ".into()]]).len(), 1);
    }
}
