//! Which parts of a dataset are searched, and how much each counts.
//!
//! Four field classes, each with its own postings, so a query can weigh a title match
//! above a mention deep in a description without storing term positions.

use super::synonyms::Synonyms;
use crate::catalog::Dataset;

pub const CLASS_COUNT: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldClass {
    /// title, English title
    Title = 0,
    /// keywords
    Keywords = 1,
    /// domain (theme), source department, provider, region
    Labels = 2,
    /// description, field labels (数据项), coverage
    Description = 3,
}

impl FieldClass {
    pub const ALL: [FieldClass; CLASS_COUNT] =
        [FieldClass::Title, FieldClass::Keywords, FieldClass::Labels, FieldClass::Description];

    /// Relative weight of a match in this class.
    pub fn weight(self) -> f32 {
        match self {
            FieldClass::Title => 10.0,
            FieldClass::Keywords => 6.0,
            FieldClass::Labels => 4.0,
            FieldClass::Description => 2.0,
        }
    }
}

/// The searchable text of a dataset, by class, with synonym expansions appended.
pub fn class_texts(ds: &Dataset, synonyms: &Synonyms) -> [String; CLASS_COUNT] {
    let mut title = ds.title.clone();
    if let Some(en) = &ds.title_en {
        title.push(' ');
        title.push_str(en);
    }
    let keywords = ds.keywords.join(" ");
    let mut labels = format!("{} {} {}", ds.theme, ds.publisher.name, ds.region.name);
    if let Some(en) = &ds.publisher.name_en {
        labels.push(' ');
        labels.push_str(en);
    }
    if let Some(p) = &ds.provider {
        labels.push(' ');
        labels.push_str(p);
    }
    let mut description = ds.description.clone();
    for f in &ds.fields {
        description.push(' ');
        description.push_str(&f.label);
    }
    if let Some(s) = &ds.spatial {
        description.push(' ');
        description.push_str(s);
    }
    [title, keywords, labels, description].map(|t| {
        let extra = synonyms.expansion(&t);
        t + &extra
    })
}
