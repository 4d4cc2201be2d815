//! The plain-HTTP listener: a page a person asked for is redirected to the same path on Attest's
//! public HTTPS address (`ATTEST_PUBLIC_URL`). Never to the `Host` the request names: a redirect
//! that follows whatever host it is sent is an open redirect, and poisons caches in front of it.
//!
//! The API is not redirected (ASVS 5.0 V4.1.2): a program that calls it over plain HTTP has
//! already sent its token in the clear, and a transparent redirect would hide that mistake. It
//! gets `400 https_required` instead, so the mistake is seen and fixed.

use crate::error::ErrorBody;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Json, Router};
use std::sync::Arc;

/// `public_url`: where users reach Attest over HTTPS (no trailing slash).
pub(crate) fn router(public_url: &str) -> Router {
    let base: Arc<str> = public_url.trim_end_matches('/').into();
    Router::new().fallback(redirect).with_state(base)
}

async fn redirect(State(base): State<Arc<str>>, request: Request) -> Response {
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    if request.uri().path() == "/api" || request.uri().path().starts_with("/api/") {
        let body = ErrorBody {
            code: "https_required".into(),
            message: format!("The API is served over HTTPS only: {base}/api/"),
            request_id: uuid::Uuid::now_v7().to_string(),
            fields: None,
        };
        return (StatusCode::BAD_REQUEST, Json(body)).into_response();
    }
    // 308 keeps the method and body, so a POST is not silently turned into a GET.
    Redirect::permanent(&format!("{base}{path}")).into_response()
}
