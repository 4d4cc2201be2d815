//! Evidence files: uploaded for a worker (type sniffed from the content, size-limited, sealed
//! with the worker's data key) and read back by the worker or a role with
//! `credentials.personal.read`. Every read is audited.

use crate::audit::Caller;
use crate::audit::Resource;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use attest_core::{EvidenceId, Permission, UserId};
use attest_store::audit::AuditAction;
use attest_store::credentials::{self, NewEvidence};
use attest_store::readiness;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

/// The largest evidence file accepted, in bytes.
pub(crate) const MAX_EVIDENCE_BYTES: usize = 8 * 1024 * 1024;

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EvidenceView {
    evidence_id: Uuid,
    /// As sniffed from the content: `application/pdf`, `image/jpeg` or `image/png`.
    content_type: &'static str,
    size_bytes: usize,
}

/// The file's type from its first bytes (never from what the client says).
pub(crate) fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

/// Uploads an evidence file for a worker (the raw file as the request body); refer to it when
/// recording or renewing a credential.
#[utoipa::path(post, path = "/api/v1/workers/{worker_id}/evidence", operation_id = "upload_evidence", tag = "credentials",
    params(("worker_id" = Uuid, Path)),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = EvidenceView), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path(worker_id): Path<Uuid>,
    body: Bytes,
) -> Result<(StatusCode, Json<EvidenceView>), AppError> {
    caller.require(Permission::CredentialsManage)?;
    if body.is_empty() {
        return Err(AppError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty_file",
            "The file is empty.",
        ));
    }
    let Some(content_type) = sniff(&body) else {
        return Err(AppError::client(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_file_type",
            "Evidence must be a PDF, JPEG or PNG file.",
        ));
    };
    let worker = UserId::from(worker_id);
    let mut tx = caller.write(&state).await?;
    readiness::person(&mut tx, worker).await?;
    let file = NewEvidence {
        user_id: worker,
        content_type,
        bytes: &body,
        uploaded_by: Some(caller.user_id),
    };
    let id = credentials::store_evidence(&mut tx, state.kek.as_ref(), caller.org_id, &file).await?;
    tx.record(
        AuditAction::CredentialEvidenceUploaded,
        resource(id),
        Some(worker),
        json!({ "content_type": content_type, "size_bytes": body.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(EvidenceView {
            evidence_id: id.as_uuid(),
            content_type,
            size_bytes: body.len(),
        }),
    ))
}

/// Downloads an evidence file (the worker, or `credentials.personal.read`); audited.
#[utoipa::path(get, path = "/api/v1/evidence/{evidence_id}", tag = "credentials",
    params(("evidence_id" = Uuid, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path(evidence_id): Path<Uuid>,
) -> Result<Response, AppError> {
    caller.require_any(super::READ_ANY)?;
    let id = EvidenceId::from(evidence_id);
    let mut tx = caller.write(&state).await?;
    let file = credentials::read_evidence(&mut tx, state.kek.as_ref(), caller.org_id, id).await?;
    tx.record(
        AuditAction::CredentialEvidenceViewed,
        resource(id),
        Some(file.user_id),
        json!({ "content_type": file.content_type }),
    )
    .await?;
    tx.commit().await?;
    let extension = match file.content_type.as_str() {
        "application/pdf" => "pdf",
        "image/png" => "png",
        _ => "jpg",
    };
    let disposition = format!("attachment; filename=\"evidence-{evidence_id}.{extension}\"");
    let mut response = file.bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&file.content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn resource(id: EvidenceId) -> Resource {
    Resource {
        kind: "evidence",
        id: Some(id.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn the_type_comes_from_the_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b"GIF89a"), None);
    }
}
