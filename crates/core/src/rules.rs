//! Each jurisdiction's time limits for answering filings (MISSION C2, E1), in working days,
//! with the article they come from.
//!
//! Where a regulation gives no day count (it says "立即"/"及时", or says nothing), the
//! limit is a **portal default** ([`Basis::PortalDefault`]) that says so and names the
//! article it relates to, if any — we never invent an article.

use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, Day, Estimated};

/// The four kinds of filing the intake receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilingKind {
    /// 有条件开放申请 (C1).
    Application,
    /// 异议 / 撤回要求 (O1).
    Objection,
    /// 纠错 / 校核申请 (E1).
    ErrorReport,
    /// 数据需求 (E2).
    DataRequest,
}

impl FilingKind {
    pub const ALL: [FilingKind; 4] =
        [FilingKind::Application, FilingKind::Objection, FilingKind::ErrorReport, FilingKind::DataRequest];
    pub fn as_str(self) -> &'static str {
        match self {
            FilingKind::Application => "application",
            FilingKind::Objection => "objection",
            FilingKind::ErrorReport => "error_report",
            FilingKind::DataRequest => "data_request",
        }
    }
    pub fn parse(s: &str) -> Option<FilingKind> {
        FilingKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// Prefix of reference numbers, e.g. `SQ-2026-000123` (申请).
    pub fn reference_prefix(self) -> &'static str {
        match self {
            FilingKind::Application => "SQ",
            FilingKind::Objection => "YY",
            FilingKind::ErrorReport => "JC",
            FilingKind::DataRequest => "XQ",
        }
    }
}

/// Where a time limit comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Basis {
    /// The regulation states the day count.
    Article { article: String },
    /// The regulation states no day count; the portal's configured default applies.
    PortalDefault {
        /// The article that speaks of this filing without a count, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        related_article: Option<String>,
        note: String,
    },
}

/// A reply deadline and how far it may be extended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimit {
    /// Working days after the day of receipt.
    pub reply_working_days: u32,
    /// Total extension allowed, in working days (0: none).
    pub max_extension_working_days: u32,
    /// Extending requires a notice to the filer (the app shows it on the timeline).
    pub extension_needs_notice: bool,
    /// Whose consent an extension needs, where the article names one (the extension then
    /// records who consented); `None` where no article says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_consent: Option<Consent>,
    pub basis: Basis,
}

/// Who must consent to an extension, in the article's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    /// 数据提供部门主要负责人 (Xiangxi 35, 39).
    PrincipalHead,
    /// 负责人 (Yunnan 26: 数据提供部门负责人; Aba 20: 公共机构负责人).
    Head,
}

/// Who decides an application, in order (MISSION C3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ApprovalChain {
    /// The providing department decides alone (Yunnan 26, Aba 32, Guangdong, default).
    #[default]
    Single,
    /// The providing department reviews (审核), then the data authority approves (审批),
    /// both within the one reply deadline (Xiangxi 35: "审核和审批应在10个工作日内完成").
    ReviewThenApproval { article: String },
}

impl ApprovalChain {
    /// How many steps an application passes.
    pub fn steps(&self) -> u32 {
        match self {
            ApprovalChain::Single => 1,
            ApprovalChain::ReviewThenApproval { .. } => 2,
        }
    }
}

/// Where an error report (E1) is filed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Routing {
    /// Straight to the dataset's department (Xiangxi 39: 向数据提供部门申请校核).
    #[default]
    Direct,
    /// To the data authority, which forwards it to the department within `forward` (Aba 20
    /// third paragraph: 2 working days); the department's own limit then runs from the day
    /// it receives the report.
    ViaAuthority { forward: TimeLimit },
}

/// Limits applied where a regulation is silent. A portal may configure them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefaultLimits {
    pub application: (u32, u32),
    pub objection: (u32, u32),
    pub error_report: (u32, u32),
    pub data_request: (u32, u32),
}

impl Default for DefaultLimits {
    /// 15 + 15 for applications (the longest statutory limit among our regulations,
    /// Yunnan 26), 5 + 5 for objections ("立即核实": verify at once, so short), 10 + 10
    /// for error reports (as Xiangxi 39), 15 + 0 for data requests.
    fn default() -> Self {
        DefaultLimits { application: (15, 15), objection: (5, 5), error_report: (10, 10), data_request: (15, 0) }
    }
}

impl DefaultLimits {
    fn get(&self, kind: FilingKind) -> (u32, u32) {
        match kind {
            FilingKind::Application => self.application,
            FilingKind::Objection => self.objection,
            FilingKind::ErrorReport => self.error_report,
            FilingKind::DataRequest => self.data_request,
        }
    }
}

/// A jurisdiction's rules for the intake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub application: TimeLimit,
    pub objection: TimeLimit,
    pub error_report: TimeLimit,
    pub data_request: TimeLimit,
    /// Xiangxi 35/36: only 内资控股 companies may apply; they declare domestic control.
    pub domestic_control_declaration: bool,
    /// Xiangxi 35, Guangdong: universities and research institutes declare public-interest use.
    pub public_interest_declaration: bool,
    /// Yunnan 27: the applicant states the volume and frequency requested.
    pub volume_and_frequency: bool,
    /// A refusal to reopen after an objection can go to the data authority (复核, Aba 33).
    pub objection_review: bool,
    /// Who decides an application (an older intake's answer without it: one step).
    #[serde(default)]
    pub approval_chain: ApprovalChain,
    /// Where an error report goes first (absent: directly).
    #[serde(default)]
    pub error_report_routing: Routing,
    /// Filing kinds only a person signed in through the platform's unified identity
    /// authentication may file (Xiangxi 20 and 35: applications for 授权受控开放 data); the
    /// others stay open to anyone, followed by receipt token. Absent: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sign_in_required: Vec<FilingKind>,
}

impl RuleSet {
    pub const BUILTIN: [&'static str; 5] = ["yunnan", "xiangxi", "aba", "guangdong", "default"];

    /// A built-in rule set by id, with the default limits for silent regulations.
    pub fn builtin(id: &str) -> Option<RuleSet> {
        RuleSet::builtin_with(id, &DefaultLimits::default())
    }

    /// A built-in rule set, using `defaults` where its regulation names no day count.
    pub fn builtin_with(id: &str, defaults: &DefaultLimits) -> Option<RuleSet> {
        let l = Limits(defaults);
        Some(match id {
            "yunnan" => yunnan(&l),
            "xiangxi" => xiangxi(&l),
            "aba" => aba(&l),
            "guangdong" => guangdong(&l),
            "default" => default(&l),
            _ => return None,
        })
    }

    /// Whether only a signed-in person may file `kind` here.
    pub fn requires_sign_in(&self, kind: FilingKind) -> bool {
        self.sign_in_required.contains(&kind)
    }

    pub fn limit(&self, kind: FilingKind) -> &TimeLimit {
        match kind {
            FilingKind::Application => &self.application,
            FilingKind::Objection => &self.objection,
            FilingKind::ErrorReport => &self.error_report,
            FilingKind::DataRequest => &self.data_request,
        }
    }

    /// Whether an objector may ask for review (复核) of the outcome, said in plain words:
    /// `Ok(basis)` where the rules offer it (the article, or the portal's own procedure),
    /// `Err((zh, en))` where they do not, naming the rule set (the intake refuses then).
    pub fn objection_review_offer(&self) -> Result<(String, String), (String, String)> {
        if !self.objection_review {
            return Err((
                format!("适用的《{}》没有规定对异议处理结果申请复核的程序，因此这里不能申请复核。", self.name),
                format!(
                    "The rules that apply here ({}) provide no review (复核) of an objection's outcome, so none can be asked for here.",
                    self.name_en
                ),
            ));
        }
        Ok(match self.id.as_str() {
            "aba" => (
                "依据阿坝 第三十三条，可请求数据主管部门对处理结果进行复核。".into(),
                "Under Aba article 33 you may ask the data authority to review the outcome.".into(),
            ),
            _ => (
                format!("《{}》提供复核：由数据主管部门复核处理结果。", self.name),
                format!("The {} offer a review of the outcome by the data authority.", self.name_en),
            ),
        })
    }

    /// The limit running for a filing of `kind`: the forwarding limit while it waits for
    /// the authority to forward it (Aba 20 ¶3), its own limit otherwise.
    pub fn running_limit(&self, kind: FilingKind, awaiting_forwarding: bool) -> &TimeLimit {
        match (&self.error_report_routing, kind, awaiting_forwarding) {
            (Routing::ViaAuthority { forward }, FilingKind::ErrorReport, true) => forward,
            _ => self.limit(kind),
        }
    }

    /// The statutory reply date for a filing received on `receipt`, after `extended`
    /// working days of extension.
    pub fn deadline(&self, cal: &Calendar, kind: FilingKind, receipt: Day, extended: u32) -> Estimated<Day> {
        self.running_deadline(cal, kind, false, receipt, extended)
    }

    /// The date the running limit ends when its clock started on `from` (the day of
    /// receipt, or the day a forwarded filing reached the department: Aba 20 counts
    /// "自收到校核申请之日起").
    pub fn running_deadline(
        &self,
        cal: &Calendar,
        kind: FilingKind,
        awaiting_forwarding: bool,
        from: Day,
        extended: u32,
    ) -> Estimated<Day> {
        cal.add_working_days(from, self.running_limit(kind, awaiting_forwarding).reply_working_days + extended)
    }
}

/// How the built-in rule sets state a time limit: by the article that sets it, or, where
/// the regulation names no day count, by the portal's default (noted with its reason).
struct Limits<'a>(&'a DefaultLimits);

impl Limits<'_> {
    fn statutory(&self, reply: u32, ext: u32, consent: Option<Consent>, article: &str) -> TimeLimit {
        TimeLimit {
            reply_working_days: reply,
            max_extension_working_days: ext,
            extension_needs_notice: true,
            extension_consent: consent,
            basis: Basis::Article { article: article.to_string() },
        }
    }

    fn fallback(&self, kind: FilingKind, related: Option<&str>, note: &str) -> TimeLimit {
        let (reply, ext) = self.0.get(kind);
        TimeLimit {
            reply_working_days: reply,
            max_extension_working_days: ext,
            extension_needs_notice: true,
            extension_consent: None,
            basis: Basis::PortalDefault { related_article: related.map(str::to_string), note: note.to_string() },
        }
    }
}

fn yunnan(l: &Limits) -> RuleSet {
    RuleSet {
        id: "yunnan".into(),
        name: "云南省政务数据开放规定(2021征求意见稿)".into(),
        name_en: "Yunnan government data opening provisions (2021 draft)".into(),
        application: l.statutory(15, 15, Some(Consent::Head), "云南 第二十六条"),
        objection: l.fallback(FilingKind::Objection, None, "The Yunnan draft has no objection procedure."),
        error_report: l.fallback(
            FilingKind::ErrorReport,
            Some("云南 第三十三条"),
            "Article 33 asks for timely (及时) correction without a day count.",
        ),
        data_request: l.fallback(FilingKind::DataRequest, None, "The Yunnan draft has no data-request procedure."),
        domestic_control_declaration: false,
        public_interest_declaration: false,
        volume_and_frequency: true,
        objection_review: false,
        approval_chain: ApprovalChain::Single,
        error_report_routing: Routing::Direct,
        sign_in_required: Vec::new(),
    }
}

fn xiangxi(l: &Limits) -> RuleSet {
    RuleSet {
        id: "xiangxi".into(),
        name: "湘西州政务数据管理办法(2021)".into(),
        name_en: "Xiangxi prefecture government data measures (2021)".into(),
        application: l.statutory(10, 10, Some(Consent::PrincipalHead), "湘西 第三十五条"),
        objection: l.fallback(
            FilingKind::Objection,
            Some("湘西 第四十五条"),
            "Article 45 requires verification at once (立即) without a day count.",
        ),
        error_report: l.statutory(10, 10, Some(Consent::PrincipalHead), "湘西 第三十九条"),
        data_request: l.fallback(
            FilingKind::DataRequest,
            Some("湘西 第四十三条"),
            "Article 43 collects requests yearly without a reply deadline.",
        ),
        domestic_control_declaration: true,
        public_interest_declaration: true,
        volume_and_frequency: false,
        objection_review: false,
        approval_chain: ApprovalChain::ReviewThenApproval { article: "湘西 第三十五条".into() },
        error_report_routing: Routing::Direct,
        sign_in_required: vec![FilingKind::Application],
    }
}

fn aba(l: &Limits) -> RuleSet {
    RuleSet {
        id: "aba".into(),
        name: "阿坝州公共数据管理办法(试行)(2024)".into(),
        name_en: "Aba prefecture public data measures (trial, 2024)".into(),
        application: l.fallback(
            FilingKind::Application,
            Some("阿坝 第三十二条"),
            "Article 32 sets no reply deadline for applications.",
        ),
        objection: l.fallback(
            FilingKind::Objection,
            Some("阿坝 第三十三条"),
            "Article 33 requires verification at once (立即) without a day count.",
        ),
        // 5 working days; complex cases up to 10 in total with the head's approval.
        error_report: l.statutory(5, 5, Some(Consent::Head), "阿坝 第二十条"),
        data_request: l.fallback(FilingKind::DataRequest, None, "The Aba measures have no data-request procedure."),
        domestic_control_declaration: false,
        public_interest_declaration: false,
        volume_and_frequency: false,
        objection_review: true,
        approval_chain: ApprovalChain::Single,
        error_report_routing: Routing::ViaAuthority {
            // "应当自收到校核申请之日起2个工作日内转交相应公共机构": no extension.
            forward: l.statutory(2, 0, None, "阿坝 第二十条第三款"),
        },
        sign_in_required: Vec::new(),
    }
}

fn guangdong(l: &Limits) -> RuleSet {
    RuleSet {
        id: "guangdong".into(),
        name: "广东省公共数据管理办法(2021)".into(),
        name_en: "Guangdong public data measures (2021)".into(),
        application: l.fallback(
            FilingKind::Application,
            Some("广东 第三十三条"),
            "Article 33 leaves the opening procedure to the provincial data authority.",
        ),
        objection: l.fallback(
            FilingKind::Objection,
            Some("广东 第四十二条"),
            "Article 42 grants the right to object without a day count.",
        ),
        error_report: l.fallback(
            FilingKind::ErrorReport,
            Some("广东 第四十二条"),
            "Article 42 grants the right to ask for correction without a day count.",
        ),
        data_request: l.fallback(
            FilingKind::DataRequest,
            None,
            "The Guangdong measures have no data-request procedure.",
        ),
        domestic_control_declaration: false,
        public_interest_declaration: true,
        volume_and_frequency: false,
        objection_review: false,
        approval_chain: ApprovalChain::Single,
        error_report_routing: Routing::Direct,
        sign_in_required: Vec::new(),
    }
}

fn default(l: &Limits) -> RuleSet {
    RuleSet {
        id: "default".into(),
        name: "默认规则(门户配置)".into(),
        name_en: "Default rules (configured by the portal)".into(),
        application: l.fallback(FilingKind::Application, None, "No jurisdiction configured; portal default."),
        objection: l.fallback(FilingKind::Objection, None, "No jurisdiction configured; portal default."),
        error_report: l.fallback(FilingKind::ErrorReport, None, "No jurisdiction configured; portal default."),
        data_request: l.fallback(FilingKind::DataRequest, None, "No jurisdiction configured; portal default."),
        domestic_control_declaration: false,
        public_interest_declaration: true,
        volume_and_frequency: false,
        objection_review: true,
        approval_chain: ApprovalChain::Single,
        error_report_routing: Routing::Direct,
        sign_in_required: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Date;

    fn d(s: &str) -> Day {
        Day::from_date(&Date::parse(s).unwrap())
    }

    #[test]
    fn statutory_limits_cite_their_articles() {
        let y = RuleSet::builtin("yunnan").unwrap();
        assert_eq!((y.application.reply_working_days, y.application.max_extension_working_days), (15, 15));
        assert_eq!(y.application.basis, Basis::Article { article: "云南 第二十六条".into() });
        let x = RuleSet::builtin("xiangxi").unwrap();
        assert_eq!((x.application.reply_working_days, x.application.max_extension_working_days), (10, 10));
        assert_eq!((x.error_report.reply_working_days, x.error_report.max_extension_working_days), (10, 10));
        let a = RuleSet::builtin("aba").unwrap();
        assert_eq!((a.error_report.reply_working_days, a.error_report.max_extension_working_days), (5, 5));
        assert!(matches!(a.application.basis, Basis::PortalDefault { .. }), "Aba 32 names no day count");
        let g = RuleSet::builtin("guangdong").unwrap();
        for k in FilingKind::ALL {
            assert!(matches!(g.limit(k).basis, Basis::PortalDefault { .. }), "{k:?}");
        }
        assert!(RuleSet::builtin("atlantis").is_none());
    }

    /// Xiangxi 35 has two steps; Aba 20 ¶3 routes error reports through the authority with
    /// 2 working days to forward (no extension); the others keep one step and file directly.
    #[test]
    fn chains_and_routing_follow_xiangxi_35_and_aba_20() {
        let steps: Vec<u32> =
            RuleSet::BUILTIN.iter().map(|r| RuleSet::builtin(r).unwrap().approval_chain.steps()).collect();
        assert_eq!(steps, vec![1, 2, 1, 1, 1]);
        let aba = RuleSet::builtin("aba").unwrap();
        let fwd = aba.running_limit(FilingKind::ErrorReport, true);
        assert_eq!((fwd.reply_working_days, fwd.max_extension_working_days), (2, 0));
        assert_eq!(fwd.basis, Basis::Article { article: "阿坝 第二十条第三款".into() });
        assert_eq!(aba.running_limit(FilingKind::ErrorReport, false).reply_working_days, 5);
        let x = RuleSet::builtin("xiangxi").unwrap();
        assert_eq!(x.running_limit(FilingKind::ErrorReport, true).reply_working_days, 10, "Xiangxi files directly");
        assert_eq!(x.application.extension_consent, Some(Consent::PrincipalHead));
        assert_eq!(RuleSet::builtin("yunnan").unwrap().application.extension_consent, Some(Consent::Head));
    }

    #[test]
    fn review_is_offered_only_where_the_rules_provide_it() {
        let offered: Vec<&str> = RuleSet::BUILTIN
            .into_iter()
            .filter(|r| RuleSet::builtin(r).unwrap().objection_review_offer().is_ok())
            .collect();
        assert_eq!(offered, vec!["aba", "default"]);
        let (zh, en) = RuleSet::builtin("yunnan").unwrap().objection_review_offer().unwrap_err();
        assert!(zh.contains("《云南省政务数据开放规定(2021征求意见稿)》") && zh.contains("不能申请复核"), "{zh}");
        assert!(en.contains("Yunnan government data opening provisions") && en.contains("provide no review"), "{en}");
        assert!(RuleSet::builtin("aba").unwrap().objection_review_offer().unwrap().0.contains("阿坝 第三十三条"));
    }

    #[test]
    fn defaults_are_configurable() {
        let limits = DefaultLimits { application: (20, 5), ..DefaultLimits::default() };
        let r = RuleSet::builtin_with("default", &limits).unwrap();
        assert_eq!(r.application.reply_working_days, 20);
        // Statutory limits do not move with the defaults.
        let y = RuleSet::builtin_with("yunnan", &limits).unwrap();
        assert_eq!(y.application.reply_working_days, 15);
    }

    /// MISSION C2 (Yunnan 26): the day of receipt is not counted; 15 working days, 15 more at most.
    #[test]
    fn yunnan_application_across_national_day_2026() {
        let cal = Calendar::official();
        let y = RuleSet::builtin("yunnan").unwrap();
        // Received Wednesday 2026-09-30; 15 working days → Tuesday 10-27 (see calendar tests).
        assert_eq!(y.deadline(&cal, FilingKind::Application, d("2026-09-30"), 0).value, d("2026-10-27"));
        // Extended by the full 15: 10-28 (16) … 11-17 (30).
        assert_eq!(y.deadline(&cal, FilingKind::Application, d("2026-09-30"), 15).value, d("2026-11-17"));
    }
}
