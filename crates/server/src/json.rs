//! `ApiJson<T>`: the JSON body extractor whose rejections use the error shape.

use crate::error::AppError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use http::StatusCode;
use serde::de::DeserializeOwned;

/// A JSON request body. Request types use `#[serde(deny_unknown_fields)]`, so an unknown field
/// is an error rather than silently ignored.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ApiJson<T>(pub(crate) T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(reject(rejection)),
        }
    }
}

fn reject(rejection: JsonRejection) -> AppError {
    match rejection {
        JsonRejection::JsonDataError(e) => AppError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!(
                "The request body does not match what this endpoint expects: {}",
                e.body_text()
            ),
        ),
        JsonRejection::JsonSyntaxError(e) => AppError::client(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("The request body is not valid JSON: {}", e.body_text()),
        ),
        JsonRejection::MissingJsonContentType(_) => AppError::client(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the request body as JSON with `Content-Type: application/json`.",
        ),
        JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::client(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "The request body is too large.",
            )
        }
        other => AppError::client(StatusCode::BAD_REQUEST, "bad_request", other.body_text()),
    }
}

/// Query-string parameters, whose rejections use the error shape.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ApiQuery<T>(pub(crate) T);

impl<T, S> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(AppError::client(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                format!(
                    "The query parameters are not valid: {}",
                    rejection.body_text()
                ),
            )),
        }
    }
}
