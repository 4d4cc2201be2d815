//! Verifying a scanned badge online (a supervisor's gate with a connection), or recording a scan
//! the gate verified offline and syncs later. Each scan is recorded once per idempotency key, in
//! the ledger as `credential.verified`: who scanned, where (the gate's label and the source IP),
//! when, and the result.
//!
//! When a badge is judged matters: a badge that has expired or been revoked must not pass
//! because a client says it was scanned earlier. An online scan is judged at the server's time,
//! whatever the device says. A synced offline scan is judged at its scan time only within the
//! trust bundle's offline window (a gate can work offline no longer than that); one synced later
//! is judged at the server's time. Either way the record says it was offline and how long after
//! the scan it was synced.

use super::{GateCredentialView, gate_credentials};
use crate::audit::Resource;
use crate::audit::{Caller, Unrecorded};
use crate::error::{AppError, ErrorBody};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::validation::Fields;
use crate::validation::optional_text;
use attest_badge::{Invalid, TrustedKey, verify as verify_badge};
use attest_core::Permission;
use attest_store::audit::AuditAction;
use attest_store::badges::{self, BADGE_LIFETIME_SECS, Recorded, Scan, status_list_uri};
use attest_store::{Tx, credential_types, organisations};
use axum::Json;
use axum::extract::State;
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// Longest payload looked at (a badge is a few hundred characters).
const MAX_PAYLOAD_CHARS: usize = 4096;
/// How far back an offline scan may be synced.
const MAX_SYNC_AGE: time::Duration = time::Duration::days(7);
/// How far ahead of the server's clock a device's may be.
const CLOCK_TOLERANCE: time::Duration = time::Duration::minutes(5);
/// How long a gate can verify offline (its trust bundle's life), with the clock tolerance: an
/// offline scan this recent is judged at its scan time.
const OFFLINE_WINDOW: time::Duration =
    time::Duration::seconds(badges::BUNDLE_MAX_OFFLINE_AGE_SECS + 5 * 60);

/// What the gate saw offline, if it verified the badge itself.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GateOutcome {
    valid: bool,
    /// The reason code the gate showed.
    #[serde(default)]
    reason_code: Option<String>,
}

/// A scanned badge.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScanBody {
    /// The QR code's text.
    payload: String,
    /// The scanning device's idempotency key for this scan (a new UUID per scan).
    scan_id: Uuid,
    /// When it was scanned (default: now); an offline scan synced later says when.
    #[serde(default, with = "time::serde::rfc3339::option")]
    scanned_at: Option<OffsetDateTime>,
    /// Which gate or site (free text).
    #[serde(default)]
    location: Option<String>,
    /// What the gate showed when it verified the badge offline.
    #[serde(default)]
    offline: Option<GateOutcome>,
}

/// The result, as the gate shows it: the name and the credentials' names and statuses only.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ScanResult {
    scan_id: Uuid,
    valid: bool,
    reason: Option<String>,
    reason_code: Option<&'static str>,
    name: Option<String>,
    credentials: Vec<GateCredentialView>,
    /// The server checked against its data as of this time.
    #[serde(with = "time::serde::rfc3339")]
    data_as_of: OffsetDateTime,
    /// This scan was sent before and is recorded once.
    duplicate: bool,
}

/// Checks a scanned badge against the organisation's keys and status list now, and records the
/// scan once per `scan_id` (`credential.verified` in the ledger).
#[utoipa::path(post, path = "/api/v1/badges/verify", operation_id = "verify_badge", tag = "badges", request_body = ScanBody,
    responses((status = 200, body = ScanResult), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub(crate) async fn verify(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<ScanBody>,
) -> Result<Json<ScanResult>, AppError> {
    caller.require(Permission::CredentialsVerify)?;
    let now = state.clock.now();
    let mut fields = Fields::default();
    if body.payload.chars().count() > MAX_PAYLOAD_CHARS {
        fields.check::<(), _>(
            "payload",
            Err(format!(
                "must be at most {MAX_PAYLOAD_CHARS} characters long"
            )),
        );
    }
    let location = optional_text(&mut fields, "location", body.location.as_deref(), 120);
    // Online: the server's time, always. Offline: the device's, checked below.
    let scanned_at = match &body.offline {
        Some(_) => body.scanned_at.unwrap_or(now),
        None => now,
    };
    if body.scanned_at.is_some_and(|at| at > now + CLOCK_TOLERANCE) {
        fields.check::<(), _>(
            "scanned_at",
            Err("is in the future (check the device clock)"),
        );
    } else if scanned_at < now - MAX_SYNC_AGE {
        fields.check::<(), _>("scanned_at", Err("is more than 7 days ago"));
    }
    let gate_reason = body.offline.as_ref().and_then(|o| o.reason_code.as_deref());
    if gate_reason
        .is_some_and(|r| r.len() > 40 || !r.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
    {
        fields.check::<(), _>("offline.reason_code", Err("must be a reason code"));
    }
    fields.finish()?;
    let within_window = now - scanned_at <= OFFLINE_WINDOW;
    let judged_at = if within_window { scanned_at } else { now };

    let mut tx = caller.write(&state).await?;
    let org = organisations::current(&mut tx).await?;
    let checked = check(
        &mut tx,
        state.kek.as_ref(),
        &caller,
        &org.slug,
        &body.payload,
        judged_at,
    )
    .await?;
    let subject_user = match &checked {
        Ok((badge, _)) => badges::holder_of(&mut tx, &badge.subject).await?,
        Err(_) => None,
    };
    let scan = Scan {
        scan_id: body.scan_id,
        scanned_by: caller.user_id,
        scanned_at,
        valid: checked.is_ok(),
        reason: checked.as_ref().err().map(|e| e.code().to_owned()),
        subject_user,
    };
    let recorded = badges::record_scan(&mut tx, caller.org_id, &scan).await?;
    if recorded == Recorded::New {
        let resource = Resource {
            kind: "badge_scan",
            id: Some(body.scan_id.to_string()),
        };
        let details = json!({
            "badge_subject": checked.as_ref().ok().map(|(b, _)| b.subject.clone()),
            "valid": scan.valid,
            "reason": scan.reason,
            "location": location,
            "scanned_at": rfc3339(scanned_at)?,
            "judged_at": rfc3339(judged_at)?,
            "offline": body.offline.as_ref().map(|o| json!({
                "valid": o.valid,
                "reason_code": o.reason_code,
                "synced_after_seconds": (now - scanned_at).whole_seconds().max(0),
            })),
        });
        tx.record(
            AuditAction::CredentialVerified,
            resource,
            subject_user,
            details,
        )
        .await?;
        tx.commit().await?;
    } else {
        // The same scan again (a retried sync): recorded the first time.
        tx.commit_unrecorded(Unrecorded::NothingChanged).await?;
    }
    Ok(Json(match checked {
        Ok((badge, credentials)) => ScanResult {
            scan_id: body.scan_id,
            valid: true,
            reason: None,
            reason_code: None,
            name: Some(badge.name),
            credentials,
            data_as_of: now,
            duplicate: recorded != Recorded::New,
        },
        Err(reason) => ScanResult {
            scan_id: body.scan_id,
            valid: false,
            reason: Some(reason.to_string()),
            reason_code: Some(reason.code()),
            name: None,
            credentials: Vec::new(),
            data_as_of: now,
            duplicate: recorded != Recorded::New,
        },
    }))
}

fn rfc3339(at: OffsetDateTime) -> Result<String, AppError> {
    at.format(&time::format_description::well_known::Rfc3339)
        .map_err(AppError::internal)
}

type Checked = Result<(attest_badge::Badge, Vec<GateCredentialView>), Invalid>;

/// The badge checked against the organisation's keys (as they were at `at`) and its status list
/// as it stands: one of another organisation never passes here.
async fn check(
    tx: &mut Tx,
    kek: &dyn attest_crypto::KeyEncryptionKey,
    caller: &Caller,
    org_slug: &str,
    payload: &str,
    at: OffsetDateTime,
) -> Result<Checked, AppError> {
    let issuer = match attest_badge::decode(payload) {
        Ok((_, badge, _)) => badge.issuer,
        Err(reason) => return Ok(Err(reason)),
    };
    if issuer != org_slug {
        return Ok(Err(Invalid::UnknownKey));
    }
    let since = at - time::Duration::seconds(BADGE_LIFETIME_SECS);
    let keys: Vec<TrustedKey> = badges::public_keys(tx, kek, caller.org_id, since)
        .await?
        .into_iter()
        .filter_map(|k| {
            Some(TrustedKey {
                kid: k.kid,
                key: VerifyingKey::from_bytes(&k.public_key).ok()?,
                valid_from: k.valid_from.unix_timestamp(),
                valid_until: k.valid_until.map(OffsetDateTime::unix_timestamp),
            })
        })
        .collect();
    let badge = match verify_badge(payload, &keys, at.unix_timestamp()) {
        Ok(badge) => badge,
        Err(reason) => return Ok(Err(reason)),
    };
    if badge.status.uri != status_list_uri(org_slug) {
        return Ok(Err(Invalid::NoStatusList));
    }
    if badges::status_list(tx, caller.org_id)
        .await?
        .list
        .is_revoked(badge.status.index)
    {
        return Ok(Err(Invalid::Revoked));
    }
    let types = credential_types::list(tx).await?;
    let credentials = gate_credentials(&badge, &types, at.unix_timestamp());
    Ok(Ok((badge, credentials)))
}
