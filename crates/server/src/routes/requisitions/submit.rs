//! Submitting a requisition (pasted text, or a text, DOCX or PDF file), editing it (a new
//! version) and analysing its current version again under the server's rule pack.

#![expect(
    unused_qualifications,
    reason = "utoipa's expansion of `params(...)` qualifies the parameter types"
)]

use super::views::RequisitionDetail;
use super::{READ_ANY, analyse, parse_fields, parse_text, parse_title, resource};
use crate::audit::{Caller, Work};
use crate::concurrency::Costly;
use crate::error::{AppError, ErrorBody};
use crate::json::{ApiJson, ApiQuery};
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::{Permission, RequisitionId};
use attest_reqiq::{Fields as JobFields, Report};
use attest_store::audit::AuditAction;
use attest_store::requisitions::{self, NewVersion, Source};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A requisition typed or pasted, or an edit of one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RequisitionBody {
    /// Required for a new requisition; absent in an edit keeps the title.
    #[serde(default)]
    title: Option<String>,
    text: String,
    /// `work_state`, `work_city`, `remote`, `employees_total`, `employees_in_state`, `pay_min`,
    /// `pay_max`, `pay_period` (`hour` | `year`), `government_contract`, `construction_trade`,
    /// `nonprofit`; each optional. Absent in an edit: the current version's fields.
    #[serde(default)]
    #[schema(value_type = Option<super::schema::JobFields>)]
    fields: Option<serde_json::Value>,
}

/// The title and fields of an uploaded file (the raw file is the body).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct UploadQuery {
    title: String,
    /// The file's name, as shown with the requisition.
    #[serde(default)]
    file_name: Option<String>,
    /// The structured fields as a JSON object.
    #[serde(default)]
    fields: Option<String>,
}

/// Stores version 1 or a new version, analysed, and records the creation or edit and the
/// analysis; answers with the requisition as the caller now sees it.
async fn store(
    state: &AppState,
    caller: &Caller,
    existing: Option<RequisitionId>,
    title: Option<String>,
    version: (&str, Source, Option<&str>),
    fields: JobFields,
) -> Result<RequisitionDetail, AppError> {
    let (text, source, file_name) = version;
    let (text, report) = analyse(state, text.to_owned(), fields.clone()).await?;
    let new = NewVersion {
        body: &text,
        fields: &fields,
        source,
        file_name,
    };
    let mut tx = caller.write(state).await?;
    let (id, number, action) = match existing {
        None => {
            let title = title.ok_or_else(|| AppError::internal("title checked"))?;
            let id = requisitions::create(
                &mut tx,
                caller.org_id,
                caller.user_id,
                &title,
                &new,
                &report,
            )
            .await?;
            (id, 1, AuditAction::RequisitionCreated)
        }
        Some(id) => {
            let number = requisitions::add_version(
                &mut tx,
                caller.org_id,
                id,
                caller.user_id,
                title.as_deref(),
                &new,
                &report,
            )
            .await?;
            (id, number, AuditAction::RequisitionEdited)
        }
    };
    tx.record(
        action,
        resource(id),
        None,
        json!({ "version": number, "source": source.as_str(), "characters": text.chars().count() }),
    )
    .await?;
    record_analysis(&mut tx, id, number, &report, None).await?;
    let detail = super::read::detail(&mut tx, caller, id).await?;
    tx.commit().await?;
    Ok(detail)
}

async fn record_analysis(
    tx: &mut Work,
    id: RequisitionId,
    version: i32,
    report: &Report,
    previous_rule_pack: Option<&str>,
) -> Result<(), AppError> {
    let s = &report.summary;
    tx.record(
        AuditAction::RequisitionAnalysed,
        resource(id),
        None,
        json!({
            "version": version,
            "rule_pack": report.rule_pack_version,
            "previous_rule_pack": previous_rule_pack,
            "score": s.score,
            "high": s.high, "medium": s.medium, "low": s.low, "info": s.info,
        }),
    )
    .await
}

/// Submits a typed or pasted requisition; it is analysed at once.
#[utoipa::path(post, path = "/api/v1/requisitions", operation_id = "create_requisition", tag = "requisitions", request_body = RequisitionBody,
    responses((status = 201, body = RequisitionDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<RequisitionBody>,
) -> Result<(StatusCode, Json<RequisitionDetail>), AppError> {
    caller.require(Permission::RequisitionsCreate)?;
    let _place = state
        .concurrency
        .enter(Costly::Analysis, Some(caller.user_id))?;
    caller.require_any(READ_ANY)?;
    let mut problems = Fields::default();
    let title = match &body.title {
        Some(t) => parse_title(&mut problems, t),
        None => problems.check("title", Err::<String, _>("is required")),
    };
    let text = parse_text(&mut problems, &body.text);
    let fields = parse_fields(&mut problems, body.fields);
    problems.finish()?;
    let (Some(text), Some(fields)) = (text, fields) else {
        return Err(AppError::internal("validated fields missing"));
    };
    let detail = store(
        &state,
        &caller,
        None,
        title,
        (&text, Source::Paste, None),
        fields,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// Submits a requisition as a file (the raw file is the body, at most 10 MB): plain text
/// (UTF-8), DOCX or PDF, told apart by content. The text is extracted and analysed at once; a
/// file that cannot be read gets a 4xx with a stable code (`file_too_large`,
/// `unsupported_file`, `encrypted_document`, `expands_too_large`, `damaged_document`,
/// `too_many_pages`, `document_too_complex`, `empty_document`, `text_too_long`,
/// `extraction_busy`).
#[utoipa::path(post, path = "/api/v1/requisitions/upload", operation_id = "upload_requisition", tag = "requisitions",
    params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = RequisitionDetail), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<UploadQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<RequisitionDetail>), AppError> {
    caller.require(Permission::RequisitionsCreate)?;
    let _place = state
        .concurrency
        .enter(Costly::Analysis, Some(caller.user_id))?;
    caller.require_any(READ_ANY)?;
    let mut problems = Fields::default();
    let title = parse_title(&mut problems, &query.title);
    let file_name = query
        .file_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if let Some(name) = file_name
        && (name.chars().count() > 255 || name.chars().any(super::is_unsafe_char))
    {
        problems.check::<(), _>(
            "file_name",
            Err("must be at most 255 characters, without control characters"),
        );
    }
    let fields = match query.fields.as_deref() {
        None => Some(JobFields::default()),
        Some(raw) => match serde_json::from_str::<serde_json::Value>(raw) {
            Ok(v) => parse_fields(&mut problems, Some(v)),
            Err(_) => problems.check("fields", Err::<JobFields, _>("must be a JSON object")),
        },
    };
    problems.finish()?;
    let Some(fields) = fields else {
        return Err(AppError::internal("validated fields missing"));
    };
    let (text, source) = extract(&state, body).await?;
    let detail = store(
        &state,
        &caller,
        None,
        title,
        (&text, source, file_name),
        fields,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// The text of an uploaded file and what kind it was (off the async threads).
async fn extract(state: &AppState, body: Bytes) -> Result<(String, Source), AppError> {
    if body.is_empty() {
        return Err(AppError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty_document",
            "The file is empty.",
        ));
    }
    let source = if body.starts_with(b"PK\x03\x04") {
        Source::Docx
    } else if body.starts_with(b"%PDF-") {
        Source::Pdf
    } else {
        Source::Text
    };
    let text =
        crate::engine::extract(&state.settings.engine, &state.parsers, body.to_vec()).await?;
    // Whatever read the file (this process or an engine process), the text must be storable.
    let mut problems = Fields::default();
    if super::parse_text(&mut problems, &text).is_none() {
        return Err(AppError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "damaged_document",
            "The document's text could not be read.",
        ));
    }
    Ok((text, source))
}

/// Edits a requisition (its author): the text, fields and title given become a new version,
/// analysed at once. Reviewers' decisions carry over to findings on the same words.
#[utoipa::path(put, path = "/api/v1/requisitions/{requisition_id}", tag = "requisitions", request_body = RequisitionBody,
    params(("requisition_id" = Uuid, Path)),
    responses((status = 200, body = RequisitionDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    Path(requisition_id): Path<Uuid>,
    ApiJson(body): ApiJson<RequisitionBody>,
) -> Result<Json<RequisitionDetail>, AppError> {
    caller.require_any(READ_ANY)?;
    let _place = state
        .concurrency
        .enter(Costly::Analysis, Some(caller.user_id))?;
    let id = RequisitionId::from(requisition_id);
    let mut problems = Fields::default();
    let title = body
        .title
        .as_deref()
        .and_then(|t| parse_title(&mut problems, t));
    let text = parse_text(&mut problems, &body.text);
    let given = body.fields.is_some();
    let fields = parse_fields(&mut problems, body.fields);
    let mut tx = caller.read(&state).await?;
    let current = requisitions::get(&mut tx, id).await?;
    tx.finish().await?;
    // Absent fields keep the current version's, as an absent title keeps the title.
    let fields = if given { fields } else { Some(current.fields) };
    if current.summary.author_id != caller.user_id
        || !caller.permissions.contains(Permission::RequisitionsCreate)
    {
        return Err(AppError::client(
            StatusCode::FORBIDDEN,
            "not_author",
            "Only the requisition's author can edit it.",
        ));
    }
    problems.finish()?;
    let (Some(text), Some(fields)) = (text, fields) else {
        return Err(AppError::internal("validated fields missing"));
    };
    let detail = store(
        &state,
        &caller,
        Some(id),
        title,
        (&text, Source::Paste, None),
        fields,
    )
    .await?;
    Ok(Json(detail))
}

/// Analyses the current version again under the server's rule pack (after an update of the
/// engine): its author or a reviewer. Decisions carry over by fingerprint.
#[utoipa::path(post, path = "/api/v1/requisitions/{requisition_id}/analyse", tag = "requisitions",
    params(("requisition_id" = Uuid, Path)),
    responses((status = 200, body = RequisitionDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn reanalyse(
    State(state): State<AppState>,
    caller: Caller,
    Path(requisition_id): Path<Uuid>,
) -> Result<Json<RequisitionDetail>, AppError> {
    caller.require_any(READ_ANY)?;
    let _place = state
        .concurrency
        .enter(Costly::Analysis, Some(caller.user_id))?;
    let id = RequisitionId::from(requisition_id);
    let mut tx = caller.read(&state).await?;
    let current = requisitions::get(&mut tx, id).await?;
    let author = current.summary.author_id == caller.user_id
        && caller.permissions.contains(Permission::RequisitionsCreate);
    if !author && !caller.permissions.contains(Permission::RequisitionsReview) {
        return Err(AppError::client(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Only the requisition's author or a reviewer can analyse it again.",
        ));
    }
    tx.finish().await?;
    // The engine runs with no transaction open; the write checks the version is still current.
    let version = current.summary.current_version;
    let previous = current.summary.rule_pack;
    let (_, report) = analyse(&state, current.body, current.fields).await?;
    let mut tx = caller.write(&state).await?;
    requisitions::reanalyse(&mut tx, caller.org_id, id, version, &report).await?;
    record_analysis(&mut tx, id, version, &report, Some(&previous)).await?;
    let detail = super::read::detail(&mut tx, &caller, id).await?;
    tx.commit().await?;
    Ok(Json(detail))
}
