//! Anonymous analysis: anyone may have a requisition analysed without an account. The text is
//! analysed in memory and never stored (nor logged); only the severity counts and the rule pack
//! are kept, until they expire (24 hours by default) and the purge job deletes them. Rate-limited
//! per IP, size-limited.

use super::{analyse, parse_fields, parse_text_within};
use crate::auth::AnalysisRateLimited;
use crate::concurrency::Costly;
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::validation::Fields;
use attest_reqiq::{Finding, Summary};
use attest_store::anonymous;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

/// The longest text accepted without an account, in characters.
pub(crate) const MAX_ANONYMOUS_CHARS: usize = 50_000;

/// The largest request body accepted, in bytes (50,000 characters, each escaped as a `\uXXXX`
/// surrogate pair at worst).
pub(crate) const MAX_ANONYMOUS_BODY: usize = 640 * 1024;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnonymousBody {
    /// At most 50,000 characters.
    text: String,
    /// As for a stored requisition; each optional.
    #[serde(default)]
    #[schema(value_type = Option<super::schema::JobFields>)]
    fields: Option<serde_json::Value>,
}

/// The full report, for the visitor only: nothing of it but the counts and the rule pack is kept.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AnonymousReport {
    #[schema(value_type = Vec<super::schema::AnalysedFinding>)]
    findings: Vec<Finding>,
    #[schema(value_type = super::schema::Summary)]
    summary: Summary,
    rule_pack_version: String,
    disclaimer: String,
    /// When the kept counts are deleted.
    #[serde(with = "time::serde::rfc3339")]
    expires_at: OffsetDateTime,
}

/// Analyses a requisition without an account (10 a minute per IP). The text is never stored.
#[utoipa::path(post, path = "/api/v1/public/analyze", tag = "requisitions", request_body = AnonymousBody,
    responses((status = 200, body = AnonymousReport), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(crate) async fn analyze(
    _limited: AnalysisRateLimited,
    State(state): State<AppState>,
    ApiJson(body): ApiJson<AnonymousBody>,
) -> Result<Json<AnonymousReport>, AppError> {
    let mut problems = Fields::default();
    let text = parse_text_within(&mut problems, &body.text, MAX_ANONYMOUS_CHARS);
    let fields = parse_fields(&mut problems, body.fields);
    problems.finish()?;
    let (Some(text), Some(fields)) = (text, fields) else {
        return Err(AppError::internal("validated fields missing"));
    };
    let _place = state.concurrency.enter(Costly::Analysis, None)?;
    let (_, report) = analyse(&state, text, fields).await?;
    let now = state.clock.now();
    let expires_at = now + state.settings.anonymous_retention;
    anonymous::record(
        state.regions.primary(),
        &report.rule_pack_version,
        &report.summary,
        now,
        expires_at,
    )
    .await?;
    Ok(Json(AnonymousReport {
        findings: report.findings,
        summary: report.summary,
        rule_pack_version: report.rule_pack_version.into_owned(),
        disclaimer: report.disclaimer.into_owned(),
        expires_at,
    }))
}
