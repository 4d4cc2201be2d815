//! Writing requisitions: the first version, new versions (edits), analysing a version again
//! under the current rule pack, and reviewers' decisions.

use super::Source;
use crate::Conflict;
use crate::error::on_conflicts;
use crate::{StoreError, Tx};
use attest_core::{OrgId, RequisitionId, UserId};
use attest_reqiq::{Fields, Report};

const CONFLICTS: &[(&str, Conflict)] = &[
    ("requisitions_title_length", Conflict::InvalidTitle),
    ("requisition_versions_body_length", Conflict::TextTooLong),
    ("finding_reviews_note_length", Conflict::NoteTooLong),
];

/// A version to store: its text (as analysed), fields and where the text came from.
#[derive(Debug, Clone, Copy)]
pub struct NewVersion<'a> {
    pub body: &'a str,
    pub fields: &'a Fields,
    pub source: Source,
    pub file_name: Option<&'a str>,
}

/// A reviewer's decision on a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewDecision {
    Accepted,
    Dismissed,
}

impl ReviewDecision {
    pub const fn as_str(self) -> &'static str {
        match self {
            ReviewDecision::Accepted => "accepted",
            ReviewDecision::Dismissed => "dismissed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "accepted" => Some(ReviewDecision::Accepted),
            "dismissed" => Some(ReviewDecision::Dismissed),
            _ => None,
        }
    }
}

/// Stores a new requisition by `author` (version 1) with its analysis. Needs
/// `requisitions.create`.
pub async fn create(
    tx: &mut Tx,
    org_id: OrgId,
    author: UserId,
    title: &str,
    version: &NewVersion<'_>,
    report: &Report,
) -> Result<RequisitionId, StoreError> {
    let id = RequisitionId::new();
    let inserted = sqlx::query!(
        "insert into attest.requisitions (org_id, requisition_id, author_id, author_name, title)
         select $1, $2, $3, u.display_name, $4
         from attest.users u where u.org_id = $1 and u.user_id = $3",
        org_id.as_uuid(),
        id.as_uuid(),
        author.as_uuid(),
        title,
    )
    .execute(&mut **tx)
    .await
    .map_err(on_conflicts(CONFLICTS))?;
    one_row(inserted, "requisition")?;
    insert_version(tx, org_id, id, 1, author, version, report).await?;
    Ok(id)
}

/// Stores a new version of a requisition (its author only, with `requisitions.create`), and a
/// new title if given; returns the version number. Reviewers' decisions carry over by
/// fingerprint.
pub async fn add_version(
    tx: &mut Tx,
    org_id: OrgId,
    id: RequisitionId,
    author: UserId,
    title: Option<&str>,
    version: &NewVersion<'_>,
    report: &Report,
) -> Result<i32, StoreError> {
    let number = sqlx::query_scalar!(
        "update attest.requisitions
         set current_version = current_version + 1, title = coalesce($2, title), updated_at = now()
         where org_id = attest.current_org_id() and requisition_id = $1
         returning current_version",
        id.as_uuid(),
        title,
    )
    .fetch_optional(&mut **tx)
    .await
    .map_err(on_conflicts(CONFLICTS))?
    .ok_or(StoreError::NotFound)?;
    insert_version(tx, org_id, id, number, author, version, report).await?;
    Ok(number)
}

async fn insert_version(
    tx: &mut Tx,
    org_id: OrgId,
    id: RequisitionId,
    number: i32,
    author: UserId,
    version: &NewVersion<'_>,
    report: &Report,
) -> Result<(), StoreError> {
    let fields = serde_json::to_value(version.fields)
        .map_err(|e| StoreError::Inconsistent(format!("requisition fields: {e}")))?;
    let s = &report.summary;
    let inserted = sqlx::query!(
        "insert into attest.requisition_versions
             (org_id, requisition_id, version, body, fields, source, file_name, created_by,
              created_by_name, rule_pack, score, high, medium, low, info)
         select $1, $2, $3, $4, $5, $6, $7, $8, u.display_name, $9, $10, $11, $12, $13, $14
         from attest.users u where u.org_id = $1 and u.user_id = $8",
        org_id.as_uuid(),
        id.as_uuid(),
        number,
        version.body,
        fields,
        version.source.as_str(),
        version.file_name,
        author.as_uuid(),
        report.rule_pack_version.as_ref(),
        count(s.score as usize),
        count(s.high),
        count(s.medium),
        count(s.low),
        count(s.info),
    )
    .execute(&mut **tx)
    .await
    .map_err(on_conflicts(CONFLICTS))?;
    one_row(inserted, "requisition version")?;
    insert_findings(tx, org_id, id, number, report).await
}

/// The row was written: the acting user (whose name it records) is visible to themselves.
fn one_row(result: sqlx::postgres::PgQueryResult, what: &str) -> Result<(), StoreError> {
    if result.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::Inconsistent(format!(
            "{what} not written: the acting user is not in the organisation"
        )))
    }
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

async fn insert_findings(
    tx: &mut Tx,
    org_id: OrgId,
    id: RequisitionId,
    version: i32,
    report: &Report,
) -> Result<(), StoreError> {
    let f = &report.findings;
    let ordinals: Vec<i32> = (0..f.len()).map(count).collect();
    let fingerprints: Vec<&str> = f.iter().map(|x| x.fingerprint.as_str()).collect();
    let rules: Vec<&str> = f.iter().map(|x| x.rule_id.as_ref()).collect();
    let categories: Vec<&str> = f.iter().map(|x| x.category.as_str()).collect();
    let severities: Vec<&str> = f.iter().map(|x| x.severity.as_str()).collect();
    let starts: Vec<i32> = f.iter().map(|x| count(x.start)).collect();
    let ends: Vec<i32> = f.iter().map(|x| count(x.end)).collect();
    let excerpts: Vec<&str> = f.iter().map(|x| x.excerpt.as_str()).collect();
    let messages: Vec<&str> = f.iter().map(|x| x.message.as_str()).collect();
    let citations: Vec<&str> = f.iter().map(|x| x.citation.as_ref()).collect();
    let suggestions: Vec<Option<&str>> = f.iter().map(|x| x.suggestion.as_deref()).collect();
    sqlx::query!(
        "insert into attest.requisition_findings
             (org_id, requisition_id, version, ordinal, fingerprint, rule_id, category, severity,
              start_char, end_char, excerpt, message, citation, suggestion)
         select $1, $2, $3, * from unnest($4::int[], $5::text[], $6::text[], $7::text[], $8::text[],
                                          $9::int[], $10::int[], $11::text[], $12::text[], $13::text[], $14::text[])",
        org_id.as_uuid(),
        id.as_uuid(),
        version,
        &ordinals,
        &fingerprints as &[&str],
        &rules as &[&str],
        &categories as &[&str],
        &severities as &[&str],
        &starts,
        &ends,
        &excerpts as &[&str],
        &messages as &[&str],
        &citations as &[&str],
        &suggestions as &[Option<&str>],
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Replaces the analysis of the requisition's current version `version` (its author, or a
/// reviewer) with `report`'s. `NotFound` if the version is no longer current (edited meanwhile)
/// or the caller may not analyse it.
pub async fn reanalyse(
    tx: &mut Tx,
    org_id: OrgId,
    id: RequisitionId,
    version: i32,
    report: &Report,
) -> Result<(), StoreError> {
    let s = &report.summary;
    let updated = sqlx::query!(
        "update attest.requisition_versions v
         set rule_pack = $3, score = $4, high = $5, medium = $6, low = $7, info = $8, analysed_at = now()
         where v.org_id = attest.current_org_id() and v.requisition_id = $1 and v.version = $2
           and v.version = (select r.current_version from attest.requisitions r
                            where r.org_id = v.org_id and r.requisition_id = v.requisition_id)",
        id.as_uuid(),
        version,
        report.rule_pack_version.as_ref(),
        count(s.score as usize),
        count(s.high),
        count(s.medium),
        count(s.low),
        count(s.info),
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if updated != 1 {
        return Err(StoreError::NotFound);
    }
    sqlx::query!(
        "delete from attest.requisition_findings
         where org_id = attest.current_org_id() and requisition_id = $1 and version = $2",
        id.as_uuid(),
        version,
    )
    .execute(&mut **tx)
    .await?;
    insert_findings(tx, org_id, id, version, report).await
}

/// Records a reviewer's decision on the finding with `fingerprint` in the requisition's current
/// version (`NotFound` if there is none). Needs `requisitions.review`. Returns the finding's rule.
pub async fn review(
    tx: &mut Tx,
    org_id: OrgId,
    id: RequisitionId,
    fingerprint: &str,
    reviewer: UserId,
    decision: ReviewDecision,
    note: &str,
) -> Result<String, StoreError> {
    let rule_id = sqlx::query_scalar!(
        "select f.rule_id from attest.requisition_findings f
         join attest.requisitions r on r.org_id = f.org_id and r.requisition_id = f.requisition_id
                                   and r.current_version = f.version
         where f.org_id = attest.current_org_id() and f.requisition_id = $1 and f.fingerprint = $2",
        id.as_uuid(),
        fingerprint,
    )
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let inserted = sqlx::query!(
        "insert into attest.finding_reviews (org_id, requisition_id, fingerprint, rule_id, decision, note, reviewed_by, reviewer_name)
         select $1, $2, $3, $4, $5, $6, $7, u.display_name
         from attest.users u where u.org_id = $1 and u.user_id = $7
         on conflict (org_id, requisition_id, fingerprint) do update
         set rule_id = excluded.rule_id, decision = excluded.decision, note = excluded.note,
             reviewed_by = excluded.reviewed_by, reviewer_name = excluded.reviewer_name, reviewed_at = now()",
        org_id.as_uuid(),
        id.as_uuid(),
        fingerprint,
        rule_id,
        decision.as_str(),
        note,
        reviewer.as_uuid(),
    )
    .execute(&mut **tx)
    .await
    .map_err(on_conflicts(CONFLICTS))?;
    one_row(inserted, "review")?;
    Ok(rule_id)
}
