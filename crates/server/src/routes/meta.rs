use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RegionInfo {
    /// `na` or `ca`.
    code: &'static str,
    label: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Meta {
    product: &'static str,
    version: &'static str,
    /// The regions organisations can be homed in on this server; the first is the default.
    regions: Vec<RegionInfo>,
    /// Whether the demo organisations are loaded.
    demo: bool,
}

/// What this server offers: version, data-residency regions, demo mode.
#[utoipa::path(get, path = "/api/v1/meta", tag = "meta", responses((status = 200, body = Meta)))]
pub(crate) async fn meta(State(state): State<AppState>) -> Json<Meta> {
    Json(Meta {
        product: "Attest",
        version: env!("CARGO_PKG_VERSION"),
        regions: state
            .regions
            .regions()
            .map(|r| RegionInfo {
                code: r.code(),
                label: r.label(),
            })
            .collect(),
        demo: state.settings.demo,
    })
}
