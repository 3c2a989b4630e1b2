//! Fixtures for unit tests: the sample portal's bus-stop and GBK air-quality datasets,
//! written out as the catalog builder publishes them.

use crate::catalog::{Dataset, Portal};

pub fn portal() -> Portal {
    serde_json::from_str(
        r#"{"name":"示例市公共数据开放平台","name_en":"Example City Public Data Open Platform",
            "publisher":"示例市政务服务和数据管理局","url":"https://data.example.gov.cn/",
            "jurisdiction":"yunnan","intake":"/api/v1","default_license":"示例市公共数据开放许可协议 1.0"}"#,
    )
    .unwrap()
}

pub fn bus_stops() -> Dataset {
    serde_json::from_str(
        r#"{"id":"jt-bus-stops","title":"公交车线路站点信息","title_en":"Bus routes and stops",
            "description":"示例市城区公交线路及其站点名称、位置和首末班时间。","keywords":["公交"],
            "theme":"交通出行",
            "publisher":{"id":"jtj","name":"示例市交通运输局","name_en":"Example City Transport Bureau"},
            "region":{"name":"示例市","level":"city"},"open":{"kind":"unconditional"},
            "security_level":1,"accrual_periodicity":"monthly","issued":"2023-03-15","modified":"2026-10-28",
            "usage_requirements":"使用时请注明数据来源和获取日期。","license":"示例市公共数据开放许可协议 1.0",
            "access":[{"kind":"download"}],
            "distributions":[{"id":"bus-stops.csv","title":"公交车线路站点（CSV）","format":"CSV","media_type":"text/csv",
              "path":"files/jt-bus-stops/bus-stops.csv","byte_size":362,"sha256":"00","encoding":"utf-8"}],
            "contact_point":{"name":"示例市交通运输局信息中心"},"version":"2.1"}"#,
    )
    .unwrap()
}

pub fn air_quality_gbk() -> Dataset {
    serde_json::from_str(
        r#"{"id":"hb-air-quality","title":"空气质量日报","title_en":"Daily air quality report",
            "description":"各监测站点每日空气质量指数。","theme":"生态环境",
            "publisher":{"id":"sthjj","name":"示例市生态环境局"},
            "region":{"name":"示例市","level":"city"},"open":{"kind":"unconditional"},
            "security_level":1,"accrual_periodicity":"daily","issued":"2022-01-10","modified":"2026-11-20",
            "license":"示例市公共数据开放许可协议 1.0",
            "distributions":[{"id":"air-quality-gbk.csv","title":"空气质量日报（CSV，GBK 编码）","format":"CSV",
              "media_type":"text/csv","path":"files/hb-air-quality/air-quality-gbk.csv","byte_size":290,
              "sha256":"00","encoding":"gbk"}],
            "contact_point":{"name":"示例市生态环境监测站"},"version":"1.0"}"#,
    )
    .unwrap()
}

/// Table records from string slices (the sniffers' input).
pub fn recs(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect()
}
