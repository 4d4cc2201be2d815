//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/openapi.json`.

pub(crate) mod health;
pub(crate) mod meta;
pub(crate) mod organisations;

use crate::state::AppState;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Attest API",
        description = "Workforce compliance: credentials, signed badges, requisition analysis, audit. \
            Errors share one shape: `{code, message, request_id}`.",
        license(name = "Apache-2.0")
    ),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "meta", description = "About this server"),
        (name = "organisations", description = "Organisations (tenants)")
    )
)]
struct ApiDoc;

/// The API routes with their OpenAPI description.
pub(crate) fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(meta::meta))
        .routes(routes!(organisations::create))
}
