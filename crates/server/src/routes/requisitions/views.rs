//! Response shapes of the requisition routes.

use attest_core::UserId;
use attest_store::requisitions::{
    FindingRecord, Requisition, RequisitionSummary, Review, VersionSummary,
};
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// A person named on a requisition (its author, a reviewer).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PersonRef {
    user_id: Uuid,
    /// As it was when they acted.
    name: String,
}

impl PersonRef {
    fn new(user: UserId, name: String) -> Self {
        Self {
            user_id: user.as_uuid(),
            name,
        }
    }
}

/// The analysis of a version: counts by severity and a score (100 less 25 per high, 10 per
/// medium, 3 per low finding).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AnalysisView {
    rule_pack: String,
    /// The version was analysed under an older rule pack than the server's.
    outdated: bool,
    score: i32,
    high: i32,
    medium: i32,
    low: i32,
    info: i32,
}

impl AnalysisView {
    /// `counts`: high, medium, low, info.
    fn new(rule_pack: String, score: i32, counts: [i32; 4]) -> Self {
        let [high, medium, low, info] = counts;
        Self {
            outdated: rule_pack != attest_reqiq::RULE_PACK_VERSION,
            rule_pack,
            score,
            high,
            medium,
            low,
            info,
        }
    }
}

/// A requisition in a list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RequisitionListItem {
    requisition_id: Uuid,
    title: String,
    author: PersonRef,
    version: i32,
    #[schema(value_type = super::schema::Source)]
    source: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    updated_at: OffsetDateTime,
    analysis: AnalysisView,
    /// Findings on the current version, and how many have a reviewer's decision.
    finding_count: i64,
    reviewed_count: i64,
}

impl From<RequisitionSummary> for RequisitionListItem {
    fn from(s: RequisitionSummary) -> Self {
        Self {
            requisition_id: s.requisition_id.as_uuid(),
            title: s.title,
            author: PersonRef::new(s.author_id, s.author_name),
            version: s.current_version,
            source: s.source.as_str(),
            created_at: s.created_at,
            updated_at: s.updated_at,
            analysis: AnalysisView::new(s.rule_pack, s.score, [s.high, s.medium, s.low, s.info]),
            finding_count: s.findings,
            reviewed_count: s.reviewed,
        }
    }
}

/// A reviewer's decision on a finding.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReviewView {
    #[schema(value_type = super::schema::Decision)]
    decision: &'static str,
    note: String,
    reviewer: PersonRef,
    #[serde(with = "time::serde::rfc3339")]
    reviewed_at: OffsetDateTime,
}

impl From<Review> for ReviewView {
    fn from(r: Review) -> Self {
        Self {
            decision: r.decision.as_str(),
            note: r.note,
            reviewer: PersonRef::new(r.reviewed_by, r.reviewer_name),
            reviewed_at: r.reviewed_at,
        }
    }
}

/// A finding: `start`/`end` are character offsets into `text` (equal for something missing).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FindingView {
    /// Stable through edits elsewhere in the text: decisions are keyed by it.
    fingerprint: String,
    rule_id: String,
    category: String,
    #[schema(value_type = super::schema::Severity)]
    severity: String,
    start: i32,
    end: i32,
    excerpt: String,
    message: String,
    citation: String,
    suggestion: Option<String>,
    review: Option<ReviewView>,
}

impl From<FindingRecord> for FindingView {
    fn from(f: FindingRecord) -> Self {
        Self {
            fingerprint: f.fingerprint,
            rule_id: f.rule_id,
            category: f.category,
            severity: f.severity,
            start: f.start,
            end: f.end,
            excerpt: f.excerpt,
            message: f.message,
            citation: f.citation,
            suggestion: f.suggestion,
            review: f.review.map(ReviewView::from),
        }
    }
}

/// What the caller may do with the requisition.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Abilities {
    /// Edit it (its author).
    edit: bool,
    /// Accept or dismiss its findings.
    review: bool,
}

/// A requisition at its current version, with its findings.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RequisitionDetail {
    #[serde(flatten)]
    item: RequisitionListItem,
    file_name: Option<String>,
    /// The text as analysed (extracted, for a file).
    text: String,
    /// The structured fields the analysis used.
    #[schema(value_type = super::schema::JobFields)]
    fields: serde_json::Value,
    #[serde(with = "time::serde::rfc3339")]
    analysed_at: OffsetDateTime,
    findings: Vec<FindingView>,
    abilities: Abilities,
    /// Always shown with results: the analysis is informational, not legal advice.
    disclaimer: &'static str,
}

impl RequisitionDetail {
    pub(crate) fn new(
        r: Requisition,
        findings: Vec<FindingRecord>,
        edit: bool,
        review: bool,
    ) -> Self {
        Self {
            item: r.summary.into(),
            file_name: r.file_name,
            text: r.body,
            fields: serde_json::to_value(&r.fields).unwrap_or_default(),
            analysed_at: r.analysed_at,
            findings: findings.into_iter().map(FindingView::from).collect(),
            abilities: Abilities { edit, review },
            disclaimer: attest_reqiq::DISCLAIMER,
        }
    }
}

/// A version in a requisition's history.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RequisitionVersionView {
    version: i32,
    #[schema(value_type = super::schema::Source)]
    source: &'static str,
    file_name: Option<String>,
    created_by: PersonRef,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    analysis: AnalysisView,
}

impl From<VersionSummary> for RequisitionVersionView {
    fn from(v: VersionSummary) -> Self {
        Self {
            version: v.version,
            source: v.source.as_str(),
            file_name: v.file_name,
            created_by: PersonRef::new(v.created_by, v.created_by_name),
            created_at: v.created_at,
            analysis: AnalysisView::new(v.rule_pack, v.score, [v.high, v.medium, v.low, v.info]),
        }
    }
}
