//! The data-source attribution the regulations require (Aba 36, Xiangxi 41; MISSION A1, A3):
//! source department, dataset title, platform, address and acquisition date.

use crate::catalog::{Dataset, Date, Portal};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    pub department: String,
    pub title: String,
    pub platform: String,
    /// Address of the dataset page on the portal.
    pub url: String,
    /// The day the user downloaded the data, or today when they have not (A3).
    pub acquired: Date,
}

impl Attribution {
    pub fn new(portal: &Portal, dataset: &Dataset, acquired: Date) -> Attribution {
        Attribution {
            department: dataset.publisher.name.clone(),
            title: dataset.title.clone(),
            platform: portal.name.clone(),
            url: dataset_url(portal, &dataset.id),
            acquired,
        }
    }

    /// The line shown on pages and carried by exports, in Chinese.
    pub fn line_zh(&self) -> String {
        format!(
            "数据来源：{}《{}》，{}（{}），获取日期：{}",
            self.department, self.title, self.platform, self.url, self.acquired
        )
    }

    /// The same line in English.
    pub fn line_en(&self) -> String {
        format!(
            "Data source: {}, “{}”, {} ({}), accessed {}",
            self.department, self.title, self.platform, self.url, self.acquired
        )
    }
}

/// The public address of a dataset's page on a portal.
pub fn dataset_url(portal: &Portal, id: &str) -> String {
    format!("{}/datasets/{}", portal.url.trim_end_matches('/'), id)
}
