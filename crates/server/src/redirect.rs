//! The plain-HTTP listener: every request is redirected to the same path over HTTPS.

use crate::error::AppError;
use axum::Router;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::StatusCode;
use http::header::HOST;
use http::uri::Authority;

pub(crate) fn router(https_port: u16) -> Router {
    Router::new().fallback(redirect).with_state(https_port)
}

async fn redirect(State(https_port): State<u16>, request: Request) -> Response {
    let host = request
        .headers()
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.parse::<Authority>().ok())
        .map(|authority| authority.host().to_owned());
    let Some(host) = host else {
        return AppError::client(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "A Host header is required.",
        )
        .into_response();
    };
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let target = if https_port == 443 {
        format!("https://{host}{path}")
    } else {
        format!("https://{host}:{https_port}{path}")
    };
    // 308 keeps the method and body, so a POST is not silently turned into a GET.
    Redirect::permanent(&target).into_response()
}
