//! One error shape for every failure: `{code, message, request_id}` (plus `fields` for
//! validation failures). 4xx responses say what was wrong; 5xx responses are generic, with the
//! detail only in the server log.

use crate::request_id;
use attest_store::{Conflict, StoreError};
use axum::Json;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable machine-readable code, e.g. `validation_failed`, `slug_taken`.
    pub code: String,
    /// What went wrong, for people.
    pub message: String,
    /// The id of the request, as in the `x-request-id` header and the server log.
    pub request_id: String,
    /// For `validation_failed`: the problem with each field, by field name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
}

/// An error a handler returns.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A client error with a stable code and a message safe to show.
    #[error("{code}: {message}")]
    Client {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    /// The input failed validation; one message per field.
    #[error("validation failed")]
    Validation(BTreeMap<String, String>),
    /// Anything else: logged in full, reported generically.
    #[error("internal error: {0}")]
    Internal(String),
    /// Too many requests from this client: `429` with `Retry-After`.
    #[error("rate limited")]
    RateLimited { retry_after_seconds: u64 },
    /// A dependency (the database) is unavailable.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Too much is running at once (a limit that sheds load): `429` (the caller's share) or
    /// `503` (the server's fill), with `Retry-After`.
    #[error("{code}: throttled")]
    Throttled {
        status: StatusCode,
        code: &'static str,
        message: String,
        retry_after_seconds: u64,
    },
}

impl AppError {
    pub fn client(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self::Client {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn not_found() -> Self {
        Self::client(StatusCode::NOT_FOUND, "not_found", "There is nothing here.")
    }

    pub fn internal(detail: impl std::fmt::Display) -> Self {
        Self::Internal(detail.to_string())
    }

    /// `503` with `Retry-After`: a limit on what runs at once is full.
    pub fn busy(code: &'static str, message: impl Into<String>, retry_after_seconds: u64) -> Self {
        Self::throttled(
            StatusCode::SERVICE_UNAVAILABLE,
            code,
            message,
            retry_after_seconds,
        )
    }

    /// `status` (429 or 503) with `Retry-After`.
    pub fn throttled(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
        retry_after_seconds: u64,
    ) -> Self {
        Self::Throttled {
            status,
            code,
            message: message.into(),
            retry_after_seconds,
        }
    }
}

/// A database error is the store's: unavailability and constraint conflicts keep their meaning.
impl From<attest_store::SqlError> for AppError {
    fn from(error: attest_store::SqlError) -> Self {
        StoreError::from(error).into()
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::SlugTaken => Self::client(
                StatusCode::CONFLICT,
                "slug_taken",
                "An organisation with this short name already exists; choose another.",
            ),
            StoreError::EmailTaken => Self::client(
                StatusCode::CONFLICT,
                "email_taken",
                "This email address is already used in the organisation.",
            ),
            StoreError::RoleKeyTaken => Self::client(
                StatusCode::CONFLICT,
                "role_key_taken",
                "A role with this key already exists in the organisation.",
            ),
            StoreError::NotFound => Self::not_found(),
            StoreError::Conflict(c) => conflict(c),
            StoreError::RegionUnavailable(region) => Self::client(
                StatusCode::UNPROCESSABLE_ENTITY,
                "region_unavailable",
                format!(
                    "Region {} ({}) is not available on this server.",
                    region.code(),
                    region.label()
                ),
            ),
            other if other.is_unavailable() => Self::Unavailable(other.to_string()),
            other => Self::Internal(other.to_string()),
        }
    }
}

/// The status and message of each conflict the store reports, under its stable code.
pub(crate) fn conflict(conflict: Conflict) -> AppError {
    let (status, message) = match conflict {
        Conflict::TypeCodeTaken => (
            StatusCode::CONFLICT,
            "Another credential type already has this code.",
        ),
        Conflict::TypeNameTaken => (
            StatusCode::CONFLICT,
            "Another credential type already has this name.",
        ),
        Conflict::JobRoleNameTaken => (
            StatusCode::CONFLICT,
            "A job role with this name already exists.",
        ),
        Conflict::RequirementExists => (StatusCode::CONFLICT, "This requirement already exists."),
        Conflict::LastAdmin => (
            StatusCode::CONFLICT,
            "The organisation needs at least one active administrator.",
        ),
        Conflict::InvalidTitle => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "A requisition's title is 1 to 200 characters.",
        ),
        Conflict::TextTooLong => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "A requisition's text is at most 200,000 characters.",
        ),
        Conflict::NoteTooLong => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "A reviewer's note is at most 2,000 characters.",
        ),
        Conflict::ScanIdTaken => (
            StatusCode::CONFLICT,
            "Another device already sent a scan with this scan_id; make a new one.",
        ),
        Conflict::CredentialExists => (
            StatusCode::CONFLICT,
            "The worker already has a credential of this type; renew it instead.",
        ),
        Conflict::UnknownCredentialType => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "There is no such credential type in the organisation.",
        ),
        Conflict::UnknownJobRole => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "There is no such job role in the organisation.",
        ),
        Conflict::UnknownSite => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "There is no such site in the organisation.",
        ),
        Conflict::UnknownWorker => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "There is no such worker in the organisation.",
        ),
        Conflict::UnknownEvidence => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "There is no such evidence file for this worker.",
        ),
        Conflict::StatusIndex | Conflict::Clock | Conflict::InvalidStarterType => (
            StatusCode::CONFLICT,
            "The change conflicts with what is stored.",
        ),
    };
    AppError::client(status, conflict.code(), message)
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message, retry_after_seconds) = match self {
            AppError::RateLimited {
                retry_after_seconds,
            } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("Too many requests. Try again in {retry_after_seconds} seconds."),
                retry_after_seconds,
            ),
            AppError::Throttled {
                status,
                code,
                message,
                retry_after_seconds,
            } => (status, code, message, retry_after_seconds),
            other => return other.into_plain_response(),
        };
        let mut response = error_response(status, code, message, None);
        response.headers_mut().insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from(retry_after_seconds),
        );
        response
    }
}

impl AppError {
    /// Every error but the ones that carry `Retry-After`.
    fn into_plain_response(self) -> Response {
        let (status, code, message, fields) = match self {
            AppError::Client {
                status,
                code,
                message,
            } => (status, code, message, None),
            AppError::Validation(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "Some fields are not valid; see `fields`.".to_owned(),
                Some(fields),
            ),
            AppError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_error",
                    "Something went wrong on our side. It has been logged; please try again."
                        .to_owned(),
                    None,
                )
            }
            AppError::RateLimited { .. } | AppError::Throttled { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "Too many requests; please wait and try again.".to_owned(),
                None,
            ),
            AppError::Unavailable(detail) => {
                tracing::error!(%detail, "dependency unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "The service is temporarily unavailable; please try again shortly.".to_owned(),
                    None,
                )
            }
        };
        let mut response = error_response(status, code, message, fields);
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                http::header::WWW_AUTHENTICATE,
                http::HeaderValue::from_static("Bearer realm=\"attest\""),
            );
        }
        response
    }
}

/// Builds an error response in the shape.
pub(crate) fn error_response(
    status: StatusCode,
    code: &str,
    message: String,
    fields: Option<BTreeMap<String, String>>,
) -> Response {
    let body = ErrorBody {
        code: code.to_owned(),
        message,
        request_id: request_id::current(),
        fields,
    };
    (status, Json(body)).into_response()
}

/// The code and message for a bare status produced outside a handler (limits, timeouts,
/// routing), so that it too gets the error shape.
pub(crate) fn for_status(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::BAD_REQUEST => ("bad_request", "The request could not be understood."),
        StatusCode::NOT_FOUND => ("not_found", "There is nothing here."),
        StatusCode::METHOD_NOT_ALLOWED => {
            ("method_not_allowed", "This method is not allowed here.")
        }
        StatusCode::REQUEST_TIMEOUT => ("timeout", "The request took too long to arrive."),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "The request body is too large."),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "This content type is not accepted here.",
        ),
        StatusCode::TOO_MANY_REQUESTS => (
            "rate_limited",
            "Too many requests; please wait and try again.",
        ),
        StatusCode::SERVICE_UNAVAILABLE => {
            ("unavailable", "The service is temporarily unavailable.")
        }
        StatusCode::GATEWAY_TIMEOUT => ("timeout", "The request took too long."),
        s if s.is_server_error() => ("internal_error", "Something went wrong on our side."),
        _ => ("error", "The request failed."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_conflict_is_a_client_error_under_its_own_code() {
        let mut codes = BTreeSet::new();
        for c in Conflict::ALL {
            let AppError::Client { status, code, .. } = AppError::from(StoreError::Conflict(c))
            else {
                panic!("{c:?} is not a client error");
            };
            assert!(status.is_client_error(), "{c:?}: {status}");
            assert_eq!(code, c.code());
            assert!(codes.insert(code), "{code} is used twice");
        }
    }
}
