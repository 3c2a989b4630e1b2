//! Every validation failure over the API, with its path, code and both messages.
//! (Validation runs before any storage, so one backend suffices.)

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::{application, data_request, error_report, objection, H};

/// Sets `pointer` (e.g. `/applicant/name`) in `v`, creating the last key if needed.
fn set(v: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let target = if parent.is_empty() { v } else { v.pointer_mut(parent).unwrap_or_else(|| panic!("{parent}")) };
    match target {
        Value::Object(map) => {
            map.insert(key.to_string(), value);
        }
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
        other => panic!("cannot set {key} in {other}"),
    }
}

struct Case {
    rules: &'static str,
    base: Value,
    changes: Vec<(&'static str, Value)>,
    path: &'static str,
    code: &'static str,
    zh: &'static str,
    en: &'static str,
}

fn case(
    base: &Value,
    changes: Vec<(&'static str, Value)>,
    path: &'static str,
    code: &'static str,
    zh: &'static str,
    en: &'static str,
) -> Case {
    Case { rules: "yunnan", base: base.clone(), changes, path, code, zh, en }
}

fn company() -> Value {
    let mut a = application();
    a["applicant"] = json!({
        "type": "legal_person", "name": "示例科技有限公司", "org_category": "company",
        "id_document": { "kind": "uscc", "number": "91310115MA1K3BTP2B" },
        "contact": { "phone": "13812345678" }
    });
    a["domestic_control_declaration"] = json!(true);
    a
}

fn cases() -> Vec<Case> {
    let app = application();
    let co = company();
    let obj = objection("ds-bus-lines");
    let err = error_report("ds-bus-stops");
    let req = data_request(Some("dept-health"));
    let rid = "/applicant/id_document/number";
    let mut c = vec![
        case(
            &app,
            vec![("/applicant/type", json!("alien"))],
            "applicant.type",
            "invalid_choice",
            "不是有效选项",
            "is not one of",
        ),
        case(
            &app,
            vec![("/applicant/name", json!(""))],
            "applicant.name",
            "required",
            "此项为必填项",
            "This field is required",
        ),
        case(
            &app,
            vec![("/applicant/name", json!("张".repeat(101)))],
            "applicant.name",
            "too_long",
            "不能超过 100 个字",
            "100 characters or fewer",
        ),
        case(
            &app,
            vec![("/applicant/name", json!("张"))],
            "applicant.name",
            "too_short",
            "至少需要 2 个字",
            "at least 2 characters",
        ),
        case(
            &app,
            vec![("/applicant/name", json!("张\u{7}三"))],
            "applicant.name",
            "control_characters",
            "控制字符",
            "control characters",
        ),
        case(
            &co,
            vec![("/applicant/org_category", Value::Null)],
            "applicant.org_category",
            "required",
            "请选择机构类别",
            "kind of organisation",
        ),
        case(
            &co,
            vec![("/applicant/org_category", json!("club"))],
            "applicant.org_category",
            "invalid_choice",
            "不是有效选项",
            "is not one of",
        ),
        case(
            &app,
            vec![("/applicant/id_document", json!({"kind": "uscc", "number": "91310115MA1K3BTP2B"}))],
            "applicant.id_document.kind",
            "wrong_document",
            "自然人",
            "natural person",
        ),
        case(
            &co,
            vec![("/applicant/id_document", json!({"kind": "resident_id", "number": "110102199101010078"}))],
            "applicant.id_document.kind",
            "wrong_document",
            "统一社会信用代码",
            "organisation",
        ),
        case(
            &app,
            vec![(rid, json!("1101021991"))],
            "applicant.id_document.number",
            "invalid_resident_id.length",
            "居民身份证号码应为 18 位",
            "resident ID number must have 18 characters",
        ),
        case(
            &app,
            vec![(rid, json!("T60426199101010078"))],
            "applicant.id_document.number",
            "invalid_resident_id.format",
            "不允许的字符",
            "characters not allowed",
        ),
        case(
            &app,
            vec![(rid, json!("360426199113010079"))],
            "applicant.id_document.number",
            "invalid_resident_id.birth_date",
            "出生日期不存在",
            "date of birth that does not exist",
        ),
        case(
            &app,
            vec![(rid, json!("36042619910102009X"))],
            "applicant.id_document.number",
            "invalid_resident_id.check_character",
            "校验位不正确",
            "fails its check character",
        ),
        case(
            &app,
            vec![(rid, json!(""))],
            "applicant.id_document.number",
            "required",
            "请填写证件号码",
            "document number",
        ),
        case(
            &co,
            vec![(rid, json!("91110000600037341N"))],
            "applicant.id_document.number",
            "invalid_uscc.check_character",
            "统一社会信用代码校验位不正确",
            "unified social credit code fails its check character",
        ),
        case(
            &co,
            vec![(rid, json!("9111000060003IOZSV"))],
            "applicant.id_document.number",
            "invalid_uscc.format",
            "统一社会信用代码含有不允许的字符",
            "unified social credit code contains characters not allowed",
        ),
        case(
            &co,
            vec![(rid, json!("12345"))],
            "applicant.id_document.number",
            "invalid_uscc.length",
            "统一社会信用代码应为 18 位",
            "must have 18 characters",
        ),
        case(
            &app,
            vec![("/applicant/id_document/kind", json!("passport"))],
            "applicant.id_document.kind",
            "invalid_choice",
            "不是有效选项",
            "is not one of",
        ),
        case(
            &app,
            vec![("/applicant/id_document/kind", json!("other"))],
            "applicant.id_document.description",
            "required",
            "此项为必填项",
            "required",
        ),
        case(
            &app,
            vec![("/applicant/contact", json!({}))],
            "applicant.contact",
            "contact_required",
            "电话或电子邮箱",
            "phone number or an e-mail",
        ),
        case(
            &app,
            vec![("/applicant/contact/phone", json!("12345"))],
            "applicant.contact.phone",
            "invalid_phone",
            "电话号码格式不正确",
            "phone number is not valid",
        ),
        case(
            &app,
            vec![("/applicant/contact/email", json!("a@b"))],
            "applicant.contact.email",
            "invalid_email",
            "电子邮箱格式不正确",
            "e-mail address is not valid",
        ),
        case(&app, vec![("/datasets", json!([]))], "datasets", "required", "至少需要 1 项", "at least 1"),
        case(
            &app,
            vec![("/datasets", json!(vec![json!({"id": "ds-bus-stops"}); 21]))],
            "datasets",
            "too_many",
            "最多 20 项",
            "At most 20",
        ),
        case(
            &app,
            vec![("/datasets/0/id", json!("../etc"))],
            "datasets[0].id",
            "invalid_id",
            "数据集标识不正确",
            "dataset identifier is not valid",
        ),
        case(
            &app,
            vec![("/datasets/0/id", json!(""))],
            "datasets[0].id",
            "required",
            "请选择数据集",
            "choose a dataset",
        ),
        case(
            &app,
            vec![("/datasets/0/id", json!("ds-unknown"))],
            "datasets[0].id",
            "unknown_dataset",
            "目录中没有这个数据集",
            "no such dataset",
        ),
        case(
            &app,
            vec![("/datasets/0/id", json!("ds-bus-lines"))],
            "datasets[0].id",
            "not_conditional",
            "有条件开放",
            "conditionally open",
        ),
        case(
            &app,
            vec![("/datasets", json!([{"id": "ds-bus-stops"}, {"id": "ds-clinics"}]))],
            "datasets[1].id",
            "mixed_departments",
            "请分开申请",
            "file separately",
        ),
        case(
            &app,
            vec![("/datasets/0/fields", json!([""]))],
            "datasets[0].fields[0]",
            "required",
            "此项为必填项",
            "required",
        ),
        case(
            &app,
            vec![("/purpose", json!("研究"))],
            "purpose",
            "too_short",
            "至少需要 5 个字",
            "at least 5 characters",
        ),
        case(&app, vec![("/scope_of_use", json!(""))], "scope_of_use", "required", "此项为必填项", "required"),
        case(
            &app,
            vec![("/scenario", json!("x".repeat(2001)))],
            "scenario",
            "too_long",
            "不能超过 2000 个字",
            "2000 characters or fewer",
        ),
        case(&app, vec![("/users", json!([]))], "users", "required", "至少需要 1 项", "at least 1"),
        case(&app, vec![("/users", json!(vec!["张三"; 51]))], "users", "too_many", "最多 50 项", "At most 50"),
        case(&app, vec![("/users", json!(["张"]))], "users[0]", "too_short", "至少需要 2 个字", "at least 2"),
        case(
            &app,
            vec![("/security_measures", json!(""))],
            "security_measures",
            "required",
            "此项为必填项",
            "required",
        ),
        case(
            &app,
            vec![("/period/start", json!("2027-02-30"))],
            "period.start",
            "invalid_date",
            "YYYY-MM-DD",
            "real date",
        ),
        case(&app, vec![("/period/end", json!(""))], "period.end", "required", "请填写日期", "enter a date"),
        case(
            &app,
            vec![("/period/end", json!("2026-12-31"))],
            "period.end",
            "date_order",
            "结束日期须晚于开始日期",
            "after its start",
        ),
        case(&app, vec![("/volume", Value::Null)], "volume", "required", "此项为必填项", "required"),
        case(&app, vec![("/frequency", json!(""))], "frequency", "required", "此项为必填项", "required"),
        case(
            &app,
            vec![("/security_commitment_ack", json!(false))],
            "security_commitment_ack",
            "must_accept",
            "须确认安全承诺书",
            "security commitment",
        ),
        case(
            &app,
            vec![("/data_use_agreement_ack", json!(false))],
            "data_use_agreement_ack",
            "must_accept",
            "数据使用协议",
            "data-use agreement",
        ),
        Case {
            rules: "xiangxi",
            ..case(
                &co,
                vec![("/applicant/org_category", json!("university"))],
                "public_interest_declaration",
                "must_accept",
                "仅用于公益性活动",
                "public-interest work only",
            )
        },
        Case {
            rules: "xiangxi",
            ..case(
                &co,
                vec![("/domestic_control_declaration", json!(false))],
                "domestic_control_declaration",
                "must_accept",
                "内资控股",
                "domestically controlled",
            )
        },
        case(&obj, vec![("/relation", json!("friend"))], "relation", "invalid_choice", "不是有效选项", "is not one of"),
        case(&obj, vec![("/relation", json!("agent"))], "principal", "required", "此项为必填项", "required"),
        case(
            &obj,
            vec![("/scope/kind", json!("some"))],
            "scope.kind",
            "invalid_choice",
            "不是有效选项",
            "is not one of",
        ),
        case(
            &obj,
            vec![("/scope", json!({"kind": "fields", "fields": []}))],
            "scope.fields",
            "required",
            "至少需要 1 项",
            "at least 1",
        ),
        case(&obj, vec![("/scope/rows", json!([0, 3]))], "scope.rows", "invalid_row", "行号从 1 开始", "start at 1"),
        case(&obj, vec![("/scope/rows", json!([]))], "scope.rows", "required", "至少需要 1 项", "at least 1"),
        case(&obj, vec![("/grounds", json!([]))], "grounds", "required", "至少需要 1 项", "at least 1"),
        case(
            &obj,
            vec![("/grounds", json!(["dislike"]))],
            "grounds[0]",
            "invalid_choice",
            "不是有效选项",
            "is not one of",
        ),
        case(&obj, vec![("/statement", json!("太短了"))], "statement", "too_short", "至少需要 10 个字", "at least 10"),
        case(&obj, vec![("/requested_action", json!(""))], "requested_action", "required", "请选择一项", "choose one"),
        case(
            &obj,
            vec![("/requested_action", json!("punish"))],
            "requested_action",
            "invalid_choice",
            "不是有效选项",
            "is not one of",
        ),
        case(&obj, vec![("/requester/name", json!(""))], "requester.name", "required", "此项为必填项", "required"),
        case(
            &obj,
            vec![("/requester/id_document/number", json!("44011320141005001Y"))],
            "requester.id_document.number",
            "invalid_resident_id.format",
            "不允许的字符",
            "not allowed",
        ),
        case(
            &obj,
            vec![("/requester/id_document/number", json!("440113201410050019"))],
            "requester.id_document.number",
            "invalid_resident_id.check_character",
            "校验位",
            "check character",
        ),
        case(
            &obj,
            vec![("/dataset_id", json!("ds-nope"))],
            "dataset_id",
            "unknown_dataset",
            "目录中没有这个数据集",
            "no such dataset",
        ),
        case(
            &err,
            vec![("/location", json!({}))],
            "location",
            "required",
            "请指明出错的行或字段",
            "which row or field",
        ),
        case(&err, vec![("/location/row", json!(0))], "location.row", "invalid_row", "行号从 1 开始", "start at 1"),
        case(&err, vec![("/explanation", json!(""))], "explanation", "required", "此项为必填项", "required"),
        case(
            &err,
            vec![("/reporter/contact/phone", json!("abc"))],
            "reporter.contact.phone",
            "invalid_phone",
            "电话号码格式不正确",
            "not valid",
        ),
        case(&err, vec![("/dataset_id", json!(""))], "dataset_id", "required", "请选择数据集", "choose a dataset"),
        case(&req, vec![("/title", json!(""))], "title", "required", "此项为必填项", "required"),
        case(&req, vec![("/description", json!("短"))], "description", "too_short", "至少需要 10 个字", "at least 10"),
        case(&req, vec![("/purpose", json!(""))], "purpose", "required", "此项为必填项", "required"),
        case(
            &req,
            vec![("/department_id", json!("dept-nowhere"))],
            "department_id",
            "unknown_department",
            "没有这个部门",
            "no such department",
        ),
        case(
            &req,
            vec![("/department_id", json!("../x"))],
            "department_id",
            "invalid_id",
            "部门标识不正确",
            "department identifier",
        ),
        case(
            &req,
            vec![("/related_dataset_id", json!("ds-nope"))],
            "related_dataset_id",
            "unknown_dataset",
            "目录中没有这个数据集",
            "no such dataset",
        ),
    ];
    // Applicant documents of kind `other` need both a description and a number.
    c.push(case(
        &app,
        vec![("/applicant/id_document", json!({"kind": "other", "description": "护照", "number": "E1"}))],
        "applicant.id_document.number",
        "too_short",
        "至少需要 4 个字",
        "at least 4",
    ));
    c
}

#[tokio::test]
async fn every_validation_failure_has_its_path_code_and_messages() {
    let mut hosts = std::collections::HashMap::new();
    for rules in ["yunnan", "xiangxi"] {
        hosts.insert(rules, H::sqlite(rules).await);
    }
    for (i, c) in cases().into_iter().enumerate() {
        let h = &hosts[c.rules];
        let mut body = c.base.clone();
        for (pointer, value) in &c.changes {
            set(&mut body, pointer, value.clone());
        }
        let (s, v) = h.post("/api/v1/filings", None, &body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "case {i} ({}): {v}", c.path);
        assert_eq!(v["error"]["code"], "invalid");
        let fields = v["error"]["fields"].as_array().unwrap();
        let hit = fields.iter().find(|f| f["path"] == c.path && f["code"] == c.code);
        let hit = hit.unwrap_or_else(|| panic!("case {i}: no {} / {} in {v}", c.path, c.code));
        let (zh, en) = (hit["zh"].as_str().unwrap(), hit["en"].as_str().unwrap());
        assert!(zh.contains(c.zh), "case {i} {}: zh {zh:?} lacks {:?}", c.path, c.zh);
        assert!(en.contains(c.en), "case {i} {}: en {en:?} lacks {:?}", c.path, c.en);
    }
    // Nothing was filed by any of them.
    let h = &hosts["yunnan"];
    let (_, list) = h.get("/api/v1/department/filings", Some(&h.authority)).await;
    assert_eq!(list["filings"], json!([]));
}

#[tokio::test]
async fn an_empty_draft_lists_every_missing_field_at_once() {
    let h = H::sqlite("yunnan").await;
    let (s, v) = h.post("/api/v1/filings", None, &json!({"kind": "application"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let paths: Vec<&str> =
        v["error"]["fields"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    for p in [
        "applicant.type",
        "applicant.name",
        "applicant.id_document.kind",
        "applicant.contact",
        "datasets",
        "purpose",
        "scope_of_use",
        "scenario",
        "users",
        "security_measures",
        "period.start",
        "period.end",
        "volume",
        "frequency",
        "security_commitment_ack",
        "data_use_agreement_ack",
    ] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
}

#[tokio::test]
async fn malformed_bodies_are_clear_4xx_answers() {
    let h = H::sqlite("yunnan").await;
    let json_ct = [("content-type", "application/json")];
    let (s, v, _, _) = h.send("POST", "/api/v1/filings", &json_ct, b"{not json".to_vec()).await;
    assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")));
    let (s, v) = h.post("/api/v1/filings", None, &json!({"kind": "complaint"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["error"]["message"].as_str().unwrap().contains("unknown variant"), "{v}");
    let (s, v) = h.post("/api/v1/filings", None, &json!({"kind": "application", "users": "everyone"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let huge = json!({"kind": "application", "purpose": "x".repeat(300 * 1024)});
    let (s, v) = h.post("/api/v1/filings", None, &huge).await;
    assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large")));
    // Department actions: unknown action, bad JSON.
    let (r, _, _) = h.file(&application()).await;
    let (s, v) = h.act(&h.transport, &r, json!({"action": "approve_everything"})).await;
    assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_json")));
    let (s, v) = h.get("/api/v1/department/filings?kind=complaint", Some(&h.transport)).await;
    assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_kind")));
    // Every answer carries no-store: filings hold personal data.
    let (_, _, headers, _) = h.send("GET", "/api/v1/status", &[], vec![]).await;
    assert_eq!(headers["cache-control"], "no-store");
}

/// The listing routes' refusals, word for word: the department list and the desk read their
/// query through one extractor and one `kind` reading, and each keeps its own answer.
#[tokio::test]
async fn listing_refusals_keep_their_words() {
    let h = H::sqlite("yunnan").await;
    const KIND_ZH: &str = "kind 须为 application、objection、error_report 或 data_request。";
    const KIND_EN: &str = "kind must be application, objection, error_report or data_request.";
    let field = |path: &str, zh: &str, en: &str| json!([{"path": path, "code": "invalid_choice", "zh": zh, "en": en}]);
    let refusals = [
        ("/api/v1/department/filings?kind=complaint", 400, "bad_kind", KIND_ZH, Some(KIND_EN), json!([])),
        ("/api/v1/department/filings?kind=", 400, "bad_kind", KIND_ZH, Some(KIND_EN), json!([])),
        ("/api/v1/department/filings?sort=x", 400, "bad_query", "查询参数有误,只接受 state 和 kind。", None, json!([])),
        ("/api/v1/department/inbox?sort=x", 400, "bad_query", "查询参数有误。", None, json!([])),
        ("/api/v1/department/audit?limit=x", 400, "bad_query", "查询参数有误。", None, json!([])),
        ("/api/v1/department/inbox?kind=complaint", 422, "invalid", "", None, field("kind", KIND_ZH, KIND_EN)),
        (
            "/api/v1/department/inbox?limit=501",
            422,
            "invalid",
            "",
            None,
            field("limit", "limit 须在 1 到 500 之间。", "limit must be between 1 and 500."),
        ),
        (
            "/api/v1/department/audit?limit=0",
            422,
            "invalid",
            "",
            None,
            field("limit", "limit 须在 1 到 1000 之间。", "limit must be between 1 and 1000."),
        ),
    ];
    for (uri, status, code, zh, en, fields) in refusals {
        let (s, v) = h.get(uri, Some(&h.transport)).await;
        let e = &v["error"];
        assert_eq!((s.as_u16(), e["code"].as_str(), &e["fields"]), (status, Some(code), &fields), "{uri}: {v}");
        if !zh.is_empty() {
            assert_eq!(e["message_zh"], zh, "{uri}: {v}");
        }
        match en {
            Some(en) => assert_eq!(e["message"], en, "{uri}: {v}"),
            // The English of a query that does not read is axum's own account of it.
            None if code == "bad_query" => {
                assert!(e["message"].as_str().unwrap().starts_with("Failed to deserialize query string"), "{v}")
            }
            None => {}
        }
    }
}
