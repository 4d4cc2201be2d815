//! The signed-in worker's own badge: the payload, its QR code (SVG in the JSON, or a PNG), and
//! when the worker app should fetch a fresh one.

use super::{GateCredentialView, gate_credentials};
use crate::audit::{Caller, Unrecorded};
use crate::error::AppError;
use crate::state::AppState;
use attest_badge::{qr_png, qr_svg, qr_version};
use attest_core::Permission;
use attest_store::badges::{self, BADGE_LIFETIME_SECS, IssuedBadge};
use attest_store::{StoreError, credential_types, organisations};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// A worker's badge.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OwnBadge {
    /// What the QR code holds (`AT1:` + Base45): show it as a QR code.
    payload: String,
    /// The QR code as an SVG document.
    svg: String,
    qr_version: i16,
    name: String,
    credentials: Vec<GateCredentialView>,
    #[serde(with = "time::serde::rfc3339")]
    issued_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    expires_at: OffsetDateTime,
    /// Fetch a fresh badge after this (half its life).
    #[serde(with = "time::serde::rfc3339")]
    refresh_after: OffsetDateTime,
}

async fn issue(
    state: &AppState,
    caller: &Caller,
) -> Result<(IssuedBadge, Vec<GateCredentialView>), AppError> {
    caller.require(Permission::CredentialsReadSelf)?;
    // A worker's first badge makes their pseudonym and status-list index (and, for the
    // organisation's first badge, its signing key).
    let mut tx = caller.write(state).await?;
    let org = organisations::current(&mut tx).await?;
    let issued = badges::issue_own(
        &mut tx,
        state.kek.as_ref(),
        caller.org_id,
        &org.slug,
        caller.user_id,
        state.clock.now(),
    )
    .await
    .map_err(|e| match e {
        StoreError::NotFound => AppError::client(
            http::StatusCode::NOT_FOUND,
            "no_badge",
            "Only active members of the organisation have a badge.",
        ),
        other => other.into(),
    })?;
    let types = credential_types::list(&mut tx).await?;
    tx.commit_unrecorded(Unrecorded::MadeOnFirstUse).await?;
    let credentials = gate_credentials(&issued.badge, &types, state.clock.now().unix_timestamp());
    Ok((issued, credentials))
}

fn time_at(seconds: i64) -> Result<OffsetDateTime, AppError> {
    OffsetDateTime::from_unix_timestamp(seconds).map_err(|_| AppError::internal("badge time"))
}

/// The caller's current badge, signed now (the same payload for ten minutes).
#[utoipa::path(get, path = "/api/v1/me/badge", tag = "badges",
    responses((status = 200, body = OwnBadge), (status = 404, body = crate::error::ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn badge(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<OwnBadge>, AppError> {
    let (issued, credentials) = issue(&state, &caller).await?;
    let payload = issued.payload;
    let svg = qr_svg(&payload).map_err(|e| AppError::internal(e.to_string()))?;
    let version = qr_version(&payload).map_err(|e| AppError::internal(e.to_string()))?;
    let badge = issued.badge;
    Ok(Json(OwnBadge {
        svg,
        qr_version: version,
        name: badge.name,
        credentials,
        issued_at: time_at(badge.issued_at)?,
        expires_at: time_at(badge.expires_at)?,
        refresh_after: time_at(badge.issued_at + BADGE_LIFETIME_SECS / 2)?,
        payload,
    }))
}

/// The caller's current badge as a PNG QR code (to print or save).
#[utoipa::path(get, path = "/api/v1/me/badge.png", tag = "badges",
    responses((status = 200, content_type = "image/png", body = Vec<u8>), (status = 404, body = crate::error::ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn badge_png(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    let (issued, _) = issue(&state, &caller).await?;
    let png = qr_png(&issued.payload, 8).map_err(|e| AppError::internal(e.to_string()))?;
    let mut response = png.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("image/png"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
