//! Reading requisitions, within what row-level security lets the caller see: the list, one
//! requisition at its current version, its findings with reviewers' decisions, its versions.

use super::{ReviewDecision, Source};
use crate::{StoreError, Tx};
use attest_core::{RequisitionId, UserId};
use attest_reqiq::Fields;
use time::OffsetDateTime;

/// A requisition in a list: its current version's analysis summary and how many of its findings
/// have a decision.
#[derive(Debug, Clone)]
pub struct RequisitionSummary {
    pub requisition_id: RequisitionId,
    pub title: String,
    pub author_id: UserId,
    /// As it was when they wrote it.
    pub author_name: String,
    pub current_version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub source: Source,
    pub rule_pack: String,
    pub score: i32,
    pub high: i32,
    pub medium: i32,
    pub low: i32,
    pub info: i32,
    pub findings: i64,
    pub reviewed: i64,
}

/// One requisition at its current version.
#[derive(Debug, Clone)]
pub struct Requisition {
    pub summary: RequisitionSummary,
    pub body: String,
    pub fields: Fields,
    pub file_name: Option<String>,
    pub analysed_at: OffsetDateTime,
}

/// A reviewer's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub decision: ReviewDecision,
    pub note: String,
    pub reviewed_by: UserId,
    pub reviewer_name: String,
    pub reviewed_at: OffsetDateTime,
}

/// A stored finding and the decision on it, if any.
#[derive(Debug, Clone)]
pub struct FindingRecord {
    pub fingerprint: String,
    pub rule_id: String,
    pub category: String,
    pub severity: String,
    pub start: i32,
    pub end: i32,
    pub excerpt: String,
    pub message: String,
    pub citation: String,
    pub suggestion: Option<String>,
    pub review: Option<Review>,
}

/// A version in a requisition's history.
#[derive(Debug, Clone)]
pub struct VersionSummary {
    pub version: i32,
    pub source: Source,
    pub file_name: Option<String>,
    pub created_by: UserId,
    pub created_by_name: String,
    pub created_at: OffsetDateTime,
    pub rule_pack: String,
    pub score: i32,
    pub high: i32,
    pub medium: i32,
    pub low: i32,
    pub info: i32,
}

/// Every requisition the caller may see, most recently changed first.
pub async fn list(tx: &mut Tx) -> Result<Vec<RequisitionSummary>, StoreError> {
    summaries(tx, None).await
}

/// The summaries of every visible requisition, or of the one given.
async fn summaries(
    tx: &mut Tx,
    only: Option<RequisitionId>,
) -> Result<Vec<RequisitionSummary>, StoreError> {
    crate::context::plan_for_given_values(tx).await?;
    let rows = sqlx::query!(
        r#"select r.requisition_id, r.title, r.author_id, r.author_name,
                  r.current_version, r.created_at, r.updated_at, v.source, v.rule_pack, v.score,
                  v.high, v.medium, v.low, v.info,
                  (select count(*) from attest.requisition_findings f
                   where f.org_id = r.org_id and f.requisition_id = r.requisition_id
                     and f.version = r.current_version) as "findings!",
                  (select count(*) from attest.requisition_findings f
                   join attest.finding_reviews fr on fr.org_id = f.org_id
                        and fr.requisition_id = f.requisition_id and fr.fingerprint = f.fingerprint
                   where f.org_id = r.org_id and f.requisition_id = r.requisition_id
                     and f.version = r.current_version) as "reviewed!"
           from attest.requisitions r
           join attest.requisition_versions v on v.org_id = r.org_id
                and v.requisition_id = r.requisition_id and v.version = r.current_version
           where r.org_id = attest.current_org_id() and ($1::uuid is null or r.requisition_id = $1)
           order by r.updated_at desc, r.requisition_id desc"#,
        only.map(|id| id.as_uuid()),
    )
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(RequisitionSummary {
                requisition_id: RequisitionId::from(r.requisition_id),
                title: r.title,
                author_id: UserId::from(r.author_id),
                author_name: r.author_name,
                current_version: r.current_version,
                created_at: r.created_at,
                updated_at: r.updated_at,
                source: Source::parse(&r.source)?,
                rule_pack: r.rule_pack,
                score: r.score,
                high: r.high,
                medium: r.medium,
                low: r.low,
                info: r.info,
                findings: r.findings,
                reviewed: r.reviewed,
            })
        })
        .collect()
}

/// One requisition at its current version, if the caller may see it.
pub async fn get(tx: &mut Tx, id: RequisitionId) -> Result<Requisition, StoreError> {
    let summary = summaries(tx, Some(id))
        .await?
        .pop()
        .ok_or(StoreError::NotFound)?;
    let r = sqlx::query!(
        "select body, fields, file_name, analysed_at from attest.requisition_versions
         where org_id = attest.current_org_id() and requisition_id = $1 and version = $2",
        id.as_uuid(),
        summary.current_version,
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let fields: Fields = serde_json::from_value(r.fields)
        .map_err(|e| StoreError::Inconsistent(format!("requisition fields: {e}")))?;
    Ok(Requisition {
        summary,
        body: r.body,
        fields,
        file_name: r.file_name,
        analysed_at: r.analysed_at,
    })
}

/// The findings on a version, in the engine's order, with the decision on each.
pub async fn findings(
    tx: &mut Tx,
    id: RequisitionId,
    version: i32,
) -> Result<Vec<FindingRecord>, StoreError> {
    let rows = sqlx::query!(
        r#"select f.fingerprint, f.rule_id, f.category, f.severity, f.start_char, f.end_char,
                  f.excerpt, f.message, f.citation, f.suggestion,
                  fr.decision as "decision?", fr.note as "note?", fr.reviewed_by as "reviewed_by?",
                  fr.reviewed_at as "reviewed_at?", fr.reviewer_name as "reviewer_name?"
           from attest.requisition_findings f
           left join attest.finding_reviews fr on fr.org_id = f.org_id
                and fr.requisition_id = f.requisition_id and fr.fingerprint = f.fingerprint
           where f.org_id = attest.current_org_id() and f.requisition_id = $1 and f.version = $2
           order by f.ordinal"#,
        id.as_uuid(),
        version,
    )
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter()
        .map(|r| {
            let review = match (r.decision, r.reviewed_by, r.reviewed_at) {
                (Some(decision), Some(by), Some(at)) => Some(Review {
                    decision: ReviewDecision::parse(&decision).ok_or_else(|| {
                        StoreError::Inconsistent(format!("review decision {decision:?}"))
                    })?,
                    note: r.note.unwrap_or_default(),
                    reviewed_by: UserId::from(by),
                    reviewer_name: r.reviewer_name.unwrap_or_default(),
                    reviewed_at: at,
                }),
                _ => None,
            };
            Ok(FindingRecord {
                fingerprint: r.fingerprint,
                rule_id: r.rule_id,
                category: r.category,
                severity: r.severity,
                start: r.start_char,
                end: r.end_char,
                excerpt: r.excerpt,
                message: r.message,
                citation: r.citation,
                suggestion: r.suggestion,
                review,
            })
        })
        .collect()
}

/// A requisition's versions, newest first.
pub async fn versions(tx: &mut Tx, id: RequisitionId) -> Result<Vec<VersionSummary>, StoreError> {
    let rows = sqlx::query!(
        "select version, source, file_name, created_by, created_by_name, created_at, rule_pack,
                score, high, medium, low, info
         from attest.requisition_versions
         where org_id = attest.current_org_id() and requisition_id = $1
         order by version desc",
        id.as_uuid(),
    )
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(VersionSummary {
                version: r.version,
                source: Source::parse(&r.source)?,
                file_name: r.file_name,
                created_by: UserId::from(r.created_by),
                created_by_name: r.created_by_name,
                created_at: r.created_at,
                rule_pack: r.rule_pack,
                score: r.score,
                high: r.high,
                medium: r.medium,
                low: r.low,
                info: r.info,
            })
        })
        .collect()
}
