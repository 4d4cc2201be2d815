use crate::error::AppError;
use crate::state::AppState;
use crate::{request_id, routes, security_headers, web};
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get};
use axum::{Json, Router, middleware};
use http::{HeaderValue, Method, StatusCode, header};
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::timeout::TimeoutLayer;

/// The whole application: API, OpenAPI document, health checks and the web app, behind the
/// request-id, security-header, panic and timeout layers. Tests drive it in-process with
/// `tower::ServiceExt::oneshot`; [`crate::Listeners`] serves it over TLS.
pub fn app(state: AppState) -> Router {
    let settings = Arc::clone(&state.settings);
    let (api, openapi) = routes::api().split_for_parts();
    let openapi = Arc::new(serde_json::to_value(&openapi).unwrap_or_else(|error| {
        tracing::error!(%error, "the OpenAPI document could not be serialised");
        serde_json::Value::Null
    }));
    let api = api
        .route(
            "/api/openapi.json",
            get(move || async move { Json(Arc::clone(&openapi)) }),
        )
        .route("/api", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .layer(DefaultBodyLimit::max(settings.json_body_limit))
        .with_state(state);

    api.merge(web::router(&settings.web_dir))
        .layer(cors(&settings.cors_origins))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::custom(
            |_panic: Box<dyn std::any::Any + Send>| {
                tracing::error!("a request handler panicked");
                axum::response::IntoResponse::into_response(AppError::internal("handler panicked"))
            },
        ))
        .layer(middleware::from_fn(security_headers::middleware))
        .layer(middleware::from_fn(request_id::middleware))
}

async fn api_not_found() -> AppError {
    AppError::client(
        StatusCode::NOT_FOUND,
        "not_found",
        "There is no such API endpoint.",
    )
}

/// Cross-origin requests only from the configured origins; none by default (same origin only).
fn cors(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600))
}
