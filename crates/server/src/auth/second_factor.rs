//! TOTP enrolment and checking, shared by the sign-in flow and the signed-in settings.

use crate::error::AppError;
use crate::state::AppState;
use crate::validation::Fields;
use attest_core::OrgId;
use attest_crypto::{FieldContext, Totp, generate_recovery_codes, hash_recovery_code};
use attest_store::accounts::Account;
use attest_store::{Tx, data_keys, mfa};
use http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

const ISSUER: &str = "Attest";

/// What an authenticator app needs: scan the QR code, or type the secret.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TotpEnrolment {
    /// Base32, for typing by hand.
    pub(crate) secret: String,
    /// `otpauth://totp/…`
    pub(crate) otpauth_uri: String,
    /// The URI as an SVG QR code in a `data:` URI.
    pub(crate) qr_code: String,
}

/// Where the sealed secret lives: its ciphertext is bound to this row and column.
fn secret_field(org_id: OrgId, row: &str) -> FieldContext<'_> {
    FieldContext {
        org_id: org_id.as_uuid(),
        table: "mfa_totp",
        row,
        column: "secret_sealed",
    }
}

/// Starts (or restarts, while unconfirmed) TOTP enrolment with a fresh secret sealed under the
/// person's data key.
pub(crate) async fn start(
    state: &AppState,
    tx: &mut Tx,
    org_id: OrgId,
    account: &Account,
) -> Result<TotpEnrolment, AppError> {
    if account.mfa_enabled {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "mfa_already_enabled",
            "Two-step verification is already on. Turn it off first to set up a new authenticator.",
        ));
    }
    let secret = Totp::generate_secret().map_err(AppError::internal)?;
    let totp = Totp::new(secret.clone(), ISSUER, &account.email).map_err(AppError::internal)?;
    let key = data_keys::person_key(tx, state.kek.as_ref(), org_id, account.user_id).await?;
    let row = account.user_id.to_string();
    let sealed = key
        .seal(&secret, &secret_field(org_id, &row))
        .map_err(AppError::internal)?;
    if !mfa::start_enrolment(tx, org_id, account.user_id, &sealed, state.clock.now()).await? {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "mfa_already_enabled",
            "Two-step verification is already on.",
        ));
    }
    Ok(TotpEnrolment {
        secret: totp.secret_base32(),
        otpauth_uri: totp.uri(),
        qr_code: totp.qr_data_uri().map_err(AppError::internal)?,
    })
}

async fn load(
    state: &AppState,
    tx: &mut Tx,
    org_id: OrgId,
    account: &Account,
) -> Result<Option<(Totp, mfa::TotpRecord)>, AppError> {
    let Some(record) = mfa::totp(tx, account.user_id).await? else {
        return Ok(None);
    };
    let key = data_keys::person_key(tx, state.kek.as_ref(), org_id, account.user_id).await?;
    let row = account.user_id.to_string();
    let secret = key
        .open(&record.secret_sealed, &secret_field(org_id, &row))
        .map_err(AppError::internal)?;
    let totp = Totp::new(secret, ISSUER, &account.email).map_err(AppError::internal)?;
    Ok(Some((totp, record)))
}

/// Checks a TOTP code once (replays and older steps refused). `confirmed` says whether the
/// set-up must already be confirmed (signing in) or still pending (enrolling).
pub(crate) async fn check_code(
    state: &AppState,
    tx: &mut Tx,
    org_id: OrgId,
    account: &Account,
    code: &str,
    confirmed: bool,
) -> Result<bool, AppError> {
    let Some((totp, record)) = load(state, tx, org_id, account).await? else {
        return Ok(false);
    };
    if record.confirmed != confirmed {
        return Ok(false);
    }
    let now = u64::try_from(state.clock.now().unix_timestamp()).unwrap_or(0);
    match totp.check(code, now, record.last_used_step) {
        Some(step) => Ok(mfa::accept_step(tx, account.user_id, step).await?),
        None => Ok(false),
    }
}

/// Confirms enrolment with a first code and returns the ten recovery codes (shown once).
pub(crate) async fn confirm(
    state: &AppState,
    tx: &mut Tx,
    org_id: OrgId,
    account: &Account,
    code: &str,
) -> Result<Vec<String>, AppError> {
    if !check_code(state, tx, org_id, account, code, false).await? {
        let mut fields = Fields::default();
        fields.check::<(), _>(
            "code",
            Err("is not the current code of your authenticator app"),
        );
        fields.finish()?;
    }
    new_recovery_codes(state, tx, org_id, account, true).await
}

/// Issues ten new recovery codes (confirming the enrolment first if `confirm`).
pub(crate) async fn new_recovery_codes(
    state: &AppState,
    tx: &mut Tx,
    org_id: OrgId,
    account: &Account,
    confirm: bool,
) -> Result<Vec<String>, AppError> {
    let codes = generate_recovery_codes().map_err(AppError::internal)?;
    let hashes: Vec<[u8; 32]> = codes.iter().map(|c| hash_recovery_code(c)).collect();
    if confirm {
        mfa::confirm(tx, org_id, account.user_id, &hashes, state.clock.now()).await?;
    } else {
        mfa::replace_recovery_codes(tx, org_id, account.user_id, &hashes).await?;
    }
    Ok(codes)
}

/// Uses a recovery code once.
pub(crate) async fn use_recovery_code(
    state: &AppState,
    tx: &mut Tx,
    account: &Account,
    code: &str,
) -> Result<bool, AppError> {
    Ok(mfa::use_recovery_code(
        tx,
        account.user_id,
        &hash_recovery_code(code),
        state.clock.now(),
    )
    .await?)
}
