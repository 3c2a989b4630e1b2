//! `kaifang review`: the provider actions of the intake API from the command line, for
//! departments without a web console. Works directly on the intake's database (same
//! address as `kaifang serve`) through the same service code, so the same rules apply
//! and every action lands in the same audit log.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use kaifang_core::filing::state::ApprovalPeriod;
use kaifang_core::filing::Action;
use kaifang_core::rules::FilingKind;

use crate::intake::{self, IntakeConfig, IntakeError, Principal};

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Database address: sqlite:PATH or postgres://…
    #[arg(long, env = "KAIFANG_DATABASE", default_value = intake::DEFAULT_DATABASE_URL)]
    pub database: String,
    /// The built catalog folder (dataset → department map).
    #[arg(long, env = "KAIFANG_CATALOG")]
    pub catalog: Option<PathBuf>,
    /// Rule set id, when not the catalog's.
    #[arg(long)]
    pub jurisdiction: Option<String>,
    #[command(subcommand)]
    pub command: ReviewCommand,
}

/// Acting as a department, or as the data authority.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct Who {
    /// Act as this provider department (its id in the catalog).
    #[arg(long)]
    pub department: Option<String>,
    /// Act as the data authority (decides reviews).
    #[arg(long)]
    pub authority: bool,
}

impl Who {
    fn principal(&self) -> Principal {
        let label = format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into()));
        match &self.department {
            Some(id) => Principal::Department { id: id.clone(), label },
            None => Principal::Authority { label },
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// List filings (your department's; all for the authority).
    List {
        #[command(flatten)]
        who: Who,
        #[arg(long)]
        state: Option<String>,
        /// application, objection, error_report or data_request
        #[arg(long)]
        kind: Option<String>,
    },
    /// Show one filing with its timeline.
    Show {
        reference: String,
        #[command(flatten)]
        who: Who,
    },
    /// Take a filing up (under review / verifying / under consideration).
    Start {
        reference: String,
        #[command(flatten)]
        who: Who,
    },
    /// Decide a filing.
    Decide {
        reference: String,
        #[command(flatten)]
        who: Who,
        #[command(subcommand)]
        decision: Decision,
    },
    /// Extend the reply deadline, with the notice the filer will read.
    Extend {
        reference: String,
        #[command(flatten)]
        who: Who,
        #[arg(long)]
        days: u32,
        #[arg(long)]
        notice: String,
        /// Who consented (the head, as the article names: 主要负责人 / 负责人).
        #[arg(long)]
        consented_by: Option<String>,
    },
    /// Pass the department's review (审核) on to the data authority's approval (审批),
    /// where the rule set has two steps (Xiangxi 35).
    PassReview {
        reference: String,
        #[command(flatten)]
        who: Who,
        #[arg(long)]
        opinion: String,
        /// The data authority reviews in the department's place (Xiangxi 35: 委托代为审核):
        /// the entrustment — who entrusted it, under what instrument. Use with --authority.
        #[arg(long)]
        entrustment: Option<String>,
    },
    /// Forward a filing received by the data authority to its department (Aba 20 ¶3).
    Forward {
        reference: String,
        #[arg(long)]
        note: String,
    },
    /// Any action as JSON, e.g. '{"action":"suspend_dataset","note":"核实中"}'.
    Act {
        reference: String,
        #[command(flatten)]
        who: Who,
        #[arg(long)]
        json: String,
    },
    /// Suspend, withdraw, invalidate or restore a dataset.
    Dataset {
        id: String,
        /// suspend, withdraw, invalidate or restore
        change: String,
        #[command(flatten)]
        who: Who,
        #[arg(long)]
        note: String,
    },
    /// Department tokens for the API.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Print the audit log as JSON Lines (one entry a line), e.g. to archive a period.
    Audit {
        /// From this instant (RFC 3339 UTC, e.g. 2026-01-01T00:00:00Z), inclusive.
        #[arg(long)]
        since: Option<String>,
        /// Up to this instant, exclusive.
        #[arg(long)]
        until: Option<String>,
    },
    /// Remove audit entries older than an instant, once archived. The database refuses
    /// entries younger than 3 years (Xiangxi 19).
    AuditPrune {
        #[arg(long)]
        before: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum Decision {
    Approve {
        #[arg(long)]
        scope: String,
        #[arg(long)]
        start: String,
        #[arg(long)]
        end: String,
        /// The data-use agreement (reference or text).
        #[arg(long)]
        agreement: String,
    },
    Reject {
        #[arg(long)]
        reason: String,
        /// The data authority refuses at the department's review step in its place
        /// (Xiangxi 35: 委托代为审核), naming the entrustment. Use with --authority.
        #[arg(long)]
        entrustment: Option<String>,
    },
    RequestInfo {
        #[arg(long)]
        message: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue a token; it is printed once and only its hash is kept.
    Create {
        #[arg(long, conflicts_with = "authority", required_unless_present = "authority")]
        department: Option<String>,
        #[arg(long)]
        authority: bool,
        #[arg(long, default_value = "issued by kaifang review")]
        label: String,
    },
    /// Revoke every token of a department (or of the authority).
    Revoke {
        #[arg(long, conflicts_with = "authority", required_unless_present = "authority")]
        department: Option<String>,
        #[arg(long)]
        authority: bool,
    },
}

pub async fn run(args: ReviewArgs) -> anyhow::Result<()> {
    let mut cfg = IntakeConfig::new(&args.database);
    cfg.catalog_dir = args.catalog.clone();
    cfg.jurisdiction = args.jurisdiction.clone();
    let intake = intake::open(&cfg).await?;
    let out = match args.command {
        ReviewCommand::List { who, state, kind } => {
            let kind = kind
                .as_deref()
                .map(|k| FilingKind::parse(k).with_context(|| format!("unknown kind {k}")))
                .transpose()?;
            serde_json::to_value(
                intake.department_list(&who.principal(), state.as_deref(), kind).await.map_err(explain)?,
            )?
        }
        ReviewCommand::Show { reference, who } => {
            serde_json::to_value(intake.department_show(&who.principal(), &reference).await.map_err(explain)?)?
        }
        ReviewCommand::Start { reference, who } => act(&intake, &who, &reference, Action::StartReview).await?,
        ReviewCommand::Decide { reference, who, decision } => {
            let action = match decision {
                Decision::Approve { scope, start, end, agreement } => {
                    Action::Approve { scope, period: ApprovalPeriod { start, end }, agreement }
                }
                Decision::Reject { reason, entrustment } => Action::Reject { reason, entrustment },
                Decision::RequestInfo { message } => Action::RequestInformation { message },
            };
            act(&intake, &who, &reference, action).await?
        }
        ReviewCommand::Extend { reference, who, days, notice, consented_by } => {
            act(&intake, &who, &reference, Action::Extend { notice, working_days: days, consented_by }).await?
        }
        ReviewCommand::PassReview { reference, who, opinion, entrustment } => {
            act(&intake, &who, &reference, Action::PassReview { opinion, entrustment }).await?
        }
        ReviewCommand::Forward { reference, note } => {
            let who = Who { department: None, authority: true };
            act(&intake, &who, &reference, Action::Forward { note }).await?
        }
        ReviewCommand::Act { reference, who, json } => {
            let action: Action = serde_json::from_str(&json).context("--json is not an action")?;
            act(&intake, &who, &reference, action).await?
        }
        ReviewCommand::Dataset { id, change, who, note } => {
            let status = match change.as_str() {
                "suspend" => "suspended",
                "withdraw" => "withdrawn",
                "invalidate" => "invalid",
                "restore" => "open",
                other => anyhow::bail!("unknown change {other:?}: use suspend, withdraw, invalidate or restore"),
            };
            serde_json::to_value(
                intake.set_dataset_status(&who.principal(), &id, status, &note).await.map_err(explain)?,
            )?
        }
        ReviewCommand::Token { command: TokenCommand::Create { department, authority, label } } => {
            let dept = if authority { None } else { department.as_deref() };
            let token = intake.create_token(dept, &label).await.map_err(explain)?;
            serde_json::json!({ "token": token, "department": dept, "note": "shown once; keep it secret" })
        }
        ReviewCommand::Token { command: TokenCommand::Revoke { department, authority } } => {
            let dept = if authority { None } else { department.as_deref() };
            let revoked = intake.revoke_tokens(dept).await.map_err(explain)?;
            serde_json::json!({ "revoked": revoked, "department": dept })
        }
        ReviewCommand::Audit { since, until } => {
            for entry in intake.audit_log(since.as_deref(), until.as_deref()).await.map_err(explain)? {
                println!("{}", serde_json::to_string(&entry)?);
            }
            return Ok(());
        }
        ReviewCommand::AuditPrune { before } => {
            serde_json::json!({ "removed": intake.audit_prune(&before).await.map_err(explain)? })
        }
    };
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

async fn act(intake: &intake::Intake, who: &Who, reference: &str, action: Action) -> anyhow::Result<serde_json::Value> {
    Ok(serde_json::to_value(intake.department_act(&who.principal(), reference, action).await.map_err(explain)?)?)
}

/// Service errors as messages a clerk can act on (both languages, every field).
fn explain(e: IntakeError) -> anyhow::Error {
    match e {
        IntakeError::Invalid(fields) => {
            let lines: Vec<String> = fields.iter().map(|f| format!("  {}: {} / {}", f.path, f.zh, f.en)).collect();
            anyhow::anyhow!("the action is incomplete:\n{}", lines.join("\n"))
        }
        IntakeError::Transition(t) => {
            let (_, zh, en) = t.messages();
            anyhow::anyhow!("{zh} / {en}")
        }
        IntakeError::NotFound => anyhow::anyhow!("no such filing for this department / 本部门没有此件"),
        other => anyhow::anyhow!("{other}"),
    }
}
