use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use http::StatusCode;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Health {
    /// `ok` or `unavailable`.
    status: &'static str,
    /// Per region: `ok` or what is wrong.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    regions: BTreeMap<String, String>,
}

/// Liveness: the process is up and serving.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, body = Health)))]
pub(crate) async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok",
        regions: BTreeMap::new(),
    })
}

/// Readiness: every region's database is reachable, serves its region, runs with row-level
/// security in force and has the current schema.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "health",
    responses((status = 200, body = Health), (status = 503, body = Health))
)]
pub(crate) async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let mut regions = BTreeMap::new();
    let mut ready = true;
    for region in state.regions.regions() {
        let status = match state.regions.check(region).await {
            Ok(()) => "ok".to_owned(),
            Err(error) => {
                ready = false;
                tracing::warn!(%region, %error, "region not ready");
                "unavailable".to_owned()
            }
        };
        regions.insert(region.code().to_owned(), status);
    }
    let (code, status) = if ready {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
    };
    (code, Json(Health { status, regions }))
}
