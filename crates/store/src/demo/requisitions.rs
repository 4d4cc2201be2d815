//! The demo organisation's requisitions: postings written by its requisition author, analysed by
//! the engine, with some of its compliance reviewer's decisions (one requisition edited after a
//! dismissal, so the decision visibly carries over), so the Requisitions pages mean something on
//! first start.

use crate::audit::AuditAction;
use crate::audit::{self, Actor, AuditEvent, Origin};
use crate::requisitions::{self, NewVersion, ReviewDecision, Source};
use crate::{AccessContext, StoreError, begin};
use attest_core::{BuiltinRole, OrgId, RequisitionId, UserId};
use attest_reqiq::Fields;
use sqlx::PgPool;
use time::OffsetDateTime;

/// One demo requisition: title, text, fields (JSON), decisions (rule id, accepted?, note), and
/// an edit made after the decisions (text inserted at the start).
struct DemoRequisition {
    title: &'static str,
    text: &'static str,
    fields: &'static str,
    decisions: &'static [(&'static str, bool, &'static str)],
    edit_prefix: Option<&'static str>,
}

const REQUISITIONS: &[DemoRequisition] = &[
    DemoRequisition {
        title: "Site Safety Coordinator — Oakland",
        text: "Site Safety Coordinator\n\nNorthwind Constructors is looking for a young, energetic Site Safety Coordinator to join our Harbour Tower project in Oakland.\n\nWhat you will do\n- Lead daily toolbox talks and site inspections.\n- Keep incident records and report to the HSE manager.\n- Visit our Oakland and Hayward sites every week.\n\nWhat we need\n- Recent college graduates preferred.\n- Native English speaker.\n- No felons.\n- Valid driver's license required.\n\nSalary: competitive, depending on experience.\n",
        fields: r#"{"work_state": "CA", "work_city": "Oakland", "employees_total": 240, "employees_in_state": 180}"#,
        decisions: &[
            (
                "age.youth_preference",
                true,
                "Describe the pace of the work, not the age of the person.",
            ),
            (
                "criminal_history.blanket_exclusion",
                true,
                "Fair Chance Act: remove before posting.",
            ),
            (
                "drivers_license.required_without_driving",
                false,
                "The coordinator drives the site truck between Oakland and Hayward every week; counsel confirmed the requirement.",
            ),
        ],
        edit_prefix: Some("Posted by Northwind Constructors, an equal opportunity employer.\n\n"),
    },
    DemoRequisition {
        title: "Electrical Apprentice — Hayward",
        text: "Electrical Apprentice (Eastside Depot, Hayward)\n\nJoin our Electrical crew. You will learn conduit, pulling wire and panel work under a licensed journeyman.\n\nRequirements\n- High school diploma or equivalent.\n- Able to lift 50 lbs, with or without reasonable accommodation.\n- Pre-employment drug test, including marijuana.\n- Please include your current salary with your application.\n\nPay: $24.00 - $31.50 per hour, plus overtime.\n",
        fields: r#"{"work_state": "CA", "work_city": "Hayward", "employees_total": 240, "employees_in_state": 180, "pay_min": 24, "pay_max": 31.5, "pay_period": "hour", "construction_trade": true}"#,
        decisions: &[(
            "salary_history.current_or_past_pay",
            true,
            "Lab. Code §432.3: never ask for current pay.",
        )],
        edit_prefix: None,
    },
    DemoRequisition {
        title: "Project Coordinator — Richmond",
        text: "Project Coordinator, North Yard (Richmond, CA)\n\nYou will coordinate schedules, permits and subcontractor paperwork for the North Yard expansion.\n\nRequirements\n- Two or more years of construction administration experience.\n- Fluent written and spoken English.\n- Must be authorized to work in the United States.\n\nPay range: $68,000 - $82,000 per year, plus benefits.\n\nNorthwind Constructors is an equal opportunity employer. Qualified applicants with arrest or conviction records will be considered in accordance with the California Fair Chance Act.\n",
        fields: r#"{"work_state": "CA", "work_city": "Richmond", "employees_total": 240, "employees_in_state": 180, "pay_min": 68000, "pay_max": 82000, "pay_period": "year"}"#,
        decisions: &[],
        edit_prefix: None,
    },
];

fn parse_fields(json: &str) -> Result<Fields, StoreError> {
    serde_json::from_str(json)
        .map_err(|e| StoreError::Inconsistent(format!("demo requisition fields: {e}")))
}

fn event(
    now: OffsetDateTime,
    action: AuditAction,
    id: RequisitionId,
    details: serde_json::Value,
) -> AuditEvent {
    AuditEvent {
        occurred_at: now,
        actor: Actor::System,
        action,
        resource_type: "requisition",
        resource_id: Some(id.to_string()),
        subject: None,
        origin: Origin::default(),
        details,
    }
}

/// Seeds the requisitions as written by `author`, with decisions by `reviewer`.
pub(crate) async fn seed(
    pool: &PgPool,
    org_id: OrgId,
    author: UserId,
    reviewer: UserId,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let as_author = AccessContext {
        org_id,
        user_id: Some(author),
        permissions: BuiltinRole::RequisitionAuthor.permissions(),
    };
    let as_reviewer = AccessContext {
        org_id,
        user_id: Some(reviewer),
        permissions: BuiltinRole::ComplianceReviewer.permissions(),
    };
    for demo in REQUISITIONS {
        let fields = parse_fields(demo.fields)?;
        let report = attest_reqiq::analyze(demo.text, &fields);
        let version = NewVersion {
            body: demo.text,
            fields: &fields,
            source: Source::Paste,
            file_name: None,
        };
        let mut tx = begin(pool, &as_author).await?;
        let id =
            requisitions::create(&mut tx, org_id, author, demo.title, &version, &report).await?;
        let seed = serde_json::json!({ "seed": "demo", "version": 1 });
        audit::append(
            &mut tx,
            org_id,
            &event(now, AuditAction::RequisitionCreated, id, seed),
        )
        .await?;
        tx.commit().await?;
        let mut tx = begin(pool, &as_reviewer).await?;
        for (rule, accepted, note) in demo.decisions {
            let Some(finding) = report.findings.iter().find(|f| f.rule_id == *rule) else {
                let found: Vec<&str> = report.findings.iter().map(|f| f.rule_id.as_ref()).collect();
                return Err(StoreError::Inconsistent(format!(
                    "demo requisition {:?} has no {rule} finding (it has {found:?})",
                    demo.title
                )));
            };
            let decision = if *accepted {
                ReviewDecision::Accepted
            } else {
                ReviewDecision::Dismissed
            };
            requisitions::review(
                &mut tx,
                org_id,
                id,
                &finding.fingerprint,
                reviewer,
                decision,
                note,
            )
            .await?;
            let details = serde_json::json!({ "seed": "demo", "rule_id": rule, "decision": decision.as_str() });
            audit::append(
                &mut tx,
                org_id,
                &event(now, AuditAction::RequisitionFindingReviewed, id, details),
            )
            .await?;
        }
        tx.commit().await?;
        if let Some(prefix) = demo.edit_prefix {
            let text = format!("{prefix}{}", demo.text);
            let report = attest_reqiq::analyze(&text, &fields);
            let version = NewVersion {
                body: &text,
                ..version
            };
            let mut tx = begin(pool, &as_author).await?;
            requisitions::add_version(&mut tx, org_id, id, author, None, &version, &report).await?;
            let seed = serde_json::json!({ "seed": "demo", "version": 2 });
            audit::append(
                &mut tx,
                org_id,
                &event(now, AuditAction::RequisitionEdited, id, seed),
            )
            .await?;
            tx.commit().await?;
        }
    }
    Ok(())
}
