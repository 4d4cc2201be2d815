//! What a gate downloads: the platform key it pins (public, once) and its organisation's trust
//! bundle (keys, status list, type names; signed by the platform key), cacheable for a minute and
//! revalidated by its ETag.

use crate::audit::{Caller, Unrecorded};
use crate::error::AppError;
use crate::state::AppState;
use attest_core::Permission;
use attest_store::{badges, organisations};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::StatusCode;
use http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, HeaderMap, HeaderValue, IF_NONE_MATCH};
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of a trust bundle (a tagged COSE_Sign1).
pub(crate) const BUNDLE_CONTENT_TYPE: &str = "application/cose; cose-type=\"cose-sign1\"";

/// The platform's trust-bundle key: gates pin it on first use and refuse bundles it did not sign.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PlatformKey {
    /// Always `EdDSA` (Ed25519).
    alg: &'static str,
    /// The 32-byte public key, base64url without padding.
    public_key: String,
}

/// The public half of the platform key that signs trust bundles.
#[utoipa::path(get, path = "/api/v1/badges/platform-key", tag = "badges",
    responses((status = 200, body = PlatformKey)))]
pub(crate) async fn platform_key(State(state): State<AppState>) -> Response {
    let key = PlatformKey {
        alg: "EdDSA",
        public_key: URL_SAFE_NO_PAD.encode(state.bundle_key.verifying_key().to_bytes()),
    };
    let mut response = Json(key).into_response();
    response.headers_mut().insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    response
}

/// The caller's organisation's trust bundle as of now (dated to the minute).
#[utoipa::path(get, path = "/api/v1/badges/bundle", tag = "badges",
    responses((status = 200, content_type = "application/cose", body = Vec<u8>), (status = 304), (status = 403, body = crate::error::ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn bundle(
    State(state): State<AppState>,
    caller: Caller,
    request_headers: HeaderMap,
) -> Result<Response, AppError> {
    caller.require(Permission::CredentialsVerify)?;
    // The organisation's first bundle may make its signing key.
    let mut tx = caller.write(&state).await?;
    let org = organisations::current(&mut tx).await?;
    let bytes = badges::trust_bundle(
        &mut tx,
        state.kek.as_ref(),
        caller.org_id,
        &org.slug,
        &state.bundle_key,
        state.clock.now(),
    )
    .await?;
    tx.commit_unrecorded(Unrecorded::MadeOnFirstUse).await?;
    let digest = attest_crypto::sha256(&bytes);
    let etag = format!("\"{}\"", URL_SAFE_NO_PAD.encode(&digest[..18]));
    let cache = HeaderValue::from_static("private, max-age=60, must-revalidate");
    let etag_value = HeaderValue::from_str(&etag).map_err(AppError::internal)?;
    let unchanged = request_headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        bytes.into_response()
    };
    let headers = response.headers_mut();
    if !unchanged {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(BUNDLE_CONTENT_TYPE));
    }
    headers.insert(CACHE_CONTROL, cache);
    headers.insert(ETAG, etag_value);
    Ok(response)
}
