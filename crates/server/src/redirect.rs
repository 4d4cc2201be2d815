//! The plain-HTTP listener: every request is redirected to the same path on Attest's public
//! HTTPS address (`ATTEST_PUBLIC_URL`). Never to the `Host` the request names: a redirect that
//! follows whatever host it is sent is an open redirect, and poisons caches in front of it.

use axum::Router;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;

/// `public_url`: where users reach Attest over HTTPS (no trailing slash).
pub(crate) fn router(public_url: &str) -> Router {
    let base: Arc<str> = public_url.trim_end_matches('/').into();
    Router::new().fallback(redirect).with_state(base)
}

async fn redirect(State(base): State<Arc<str>>, request: Request) -> Response {
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    // 308 keeps the method and body, so a POST is not silently turned into a GET.
    Redirect::permanent(&format!("{base}{path}")).into_response()
}
