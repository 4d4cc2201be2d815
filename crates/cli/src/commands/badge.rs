//! `attest badge`: verify a badge offline against a trust bundle (as a gate does), write an
//! organisation's current trust bundle, and rotate an organisation's badge key.

use crate::config::Config;
use crate::runtime::Runtime;
use anyhow::Context as _;
use attest_badge::{BundleError, GateResult, open_bundle, read_qr_png};
use attest_core::{OrgSlug, Permission, PermissionSet};
use attest_server::{Caller, Resource};
use attest_store::audit::AuditAction;
use attest_store::organisations::{self, Organisation};
use attest_store::{AccessContext, PgPool, Tx, badges, begin, directory, signing_keys};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::VerifyingKey;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// How far a device's clock may be behind the bundle's.
const CLOCK_TOLERANCE_SECS: i64 = 300;

/// What to verify and how to report it.
#[derive(Debug)]
pub(crate) struct VerifyRequest {
    pub(crate) bundle: PathBuf,
    pub(crate) at: Option<String>,
    /// A payload (`AT1:…`), a PNG image of the QR code, a text file holding the payload, or `-`.
    pub(crate) input: String,
    pub(crate) json: bool,
}

/// The verdict: `Ok(true)` valid, `Ok(false)` invalid (reason printed); errors mean the check
/// could not be made (unreadable input, a bundle the pinned key did not sign, too old, …).
pub(crate) fn verify(request: &VerifyRequest, platform: &VerifyingKey) -> anyhow::Result<bool> {
    let now = match &request.at {
        Some(at) => OffsetDateTime::parse(at, &Rfc3339)
            .with_context(|| format!("--at {at}: not an RFC 3339 time"))?
            .unix_timestamp(),
        None => OffsetDateTime::now_utc().unix_timestamp(),
    };
    let bytes = std::fs::read(&request.bundle)
        .with_context(|| format!("reading the bundle {}", request.bundle.display()))?;
    let payload = read_payload(&request.input)?;
    let gate =
        open_bundle(&bytes, platform, now, CLOCK_TOLERANCE_SECS).map_err(|e| bundle_refused(&e))?;
    let result = gate.check(&payload, now);
    let mut out = std::io::stdout().lock();
    if request.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&as_json(&result))?)?;
    } else {
        write!(out, "{}", as_text(&result))?;
    }
    Ok(result.valid)
}

fn bundle_refused(error: &BundleError) -> anyhow::Error {
    anyhow::anyhow!("the trust bundle cannot be used: {error}")
}

/// The payload from the argument: itself, a PNG of its QR code, a file holding it, or stdin.
fn read_payload(input: &str) -> anyhow::Result<String> {
    if input == "-" {
        let mut text = String::new();
        std::io::stdin().take(64 * 1024).read_to_string(&mut text)?;
        return Ok(text.trim().to_owned());
    }
    let path = Path::new(input);
    if input.starts_with(attest_badge::PREFIX) || !path.is_file() {
        return Ok(input.trim().to_owned());
    }
    let metadata = std::fs::metadata(path)?;
    anyhow::ensure!(
        metadata.len() <= 32 * 1024 * 1024,
        "{input}: larger than 32 MiB"
    );
    let bytes = std::fs::read(path).with_context(|| format!("reading {input}"))?;
    if bytes.starts_with(b"\x89PNG") {
        return read_qr_png(&bytes).with_context(|| format!("{input}: no badge QR code found"));
    }
    Ok(String::from_utf8(bytes)
        .with_context(|| format!("{input}: neither a PNG image nor a text payload"))?
        .trim()
        .to_owned())
}

fn rfc3339(seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// `{valid, reason, reason_code, name, credentials: [{code, name, status, expires}], data_as_of}`.
pub(crate) fn as_json(result: &GateResult) -> serde_json::Value {
    serde_json::json!({
        "valid": result.valid,
        "reason": result.reason,
        "reason_code": result.reason_code,
        "name": result.name,
        "credentials": result.credentials.iter().map(|c| serde_json::json!({
            "code": c.code,
            "name": c.name,
            "status": c.status,
            "expires": c.expires(),
        })).collect::<Vec<_>>(),
        "data_as_of": rfc3339(result.data_as_of),
    })
}

fn as_text(result: &GateResult) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if result.valid {
        let _ = writeln!(out, "VALID  {}", result.name.as_deref().unwrap_or_default());
        for c in &result.credentials {
            let until = c
                .expires()
                .map_or_else(|| "no expiry".to_owned(), |d| format!("until {d}"));
            let _ = writeln!(out, "  {:<10} {:<36} {}", c.status, c.name, until);
        }
    } else {
        let _ = writeln!(
            out,
            "INVALID  {}",
            result.reason.as_deref().unwrap_or("refused")
        );
    }
    let _ = writeln!(out, "data as of {}", rfc3339(result.data_as_of));
    out
}

/// Parses a platform key given as base64url (as `/api/v1/badges/platform-key` gives it) or a
/// file holding that.
pub(crate) fn parse_platform_key(value: &str) -> anyhow::Result<VerifyingKey> {
    let text = if Path::new(value).is_file() {
        std::fs::read_to_string(value).with_context(|| format!("reading {value}"))?
    } else {
        value.to_owned()
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(text.trim())
        .context("--platform-key: not base64url")?;
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("--platform-key: not a 32-byte Ed25519 key"))?;
    VerifyingKey::from_bytes(&bytes).context("--platform-key: not an Ed25519 public key")
}

/// This installation's platform key (its public half), from the database.
pub(crate) async fn installed_platform_key(config: &Config) -> anyhow::Result<VerifyingKey> {
    let runtime = Runtime::start(config, false).await?;
    let result = async {
        let kek = runtime.kek.as_ref();
        let key = signing_keys::bundle_key(runtime.regions.primary(), kek).await?;
        anyhow::Ok(key.verifying_key())
    }
    .await;
    runtime.shutdown().await;
    result
}

/// The organisation named `slug`, in its home region, and a transaction in its context with
/// `permissions` (as Attest itself, from the command line).
async fn org_transaction(
    runtime: &Runtime,
    slug: &str,
    permissions: &[Permission],
) -> anyhow::Result<(Organisation, PgPool, Tx)> {
    let slug = OrgSlug::parse(slug).map_err(|e| anyhow::anyhow!("--org: {e}"))?;
    let region = directory::lookup(runtime.regions.primary(), &slug)
        .await?
        .with_context(|| format!("no organisation {slug}"))?;
    let pool = runtime.regions.pool(region)?.clone();
    let org = organisations::resolve(&pool, &slug)
        .await?
        .with_context(|| format!("no organisation {slug}"))?;
    let context = AccessContext {
        org_id: org.org_id,
        user_id: None,
        permissions: permissions.iter().copied().collect::<PermissionSet>(),
    };
    let tx = begin(&pool, &context).await?;
    Ok((org, pool, tx))
}

/// `attest badge bundle --org SLUG -o FILE`: the organisation's trust bundle as of now.
pub(crate) async fn bundle(config: Config, org: String, output: PathBuf) -> anyhow::Result<()> {
    let runtime = Runtime::start(&config, false).await?;
    let result = async {
        let kek = runtime.kek.as_ref();
        let platform = signing_keys::bundle_key(runtime.regions.primary(), kek).await?;
        let (org, _pool, mut tx) = org_transaction(
            &runtime,
            &org,
            &[
                Permission::CredentialsVerify,
                Permission::CredentialsReadOrg,
            ],
        )
        .await?;
        let bytes = badges::trust_bundle(
            &mut tx,
            kek,
            org.org_id,
            &org.slug,
            &platform,
            OffsetDateTime::now_utc(),
        )
        .await?;
        tx.commit().await?;
        std::fs::write(&output, &bytes).with_context(|| format!("writing {}", output.display()))?;
        writeln!(
            std::io::stdout(),
            "Wrote the trust bundle of {} to {} ({} bytes); gates pin the platform key {}",
            org.slug,
            output.display(),
            bytes.len(),
            URL_SAFE_NO_PAD.encode(platform.verifying_key().to_bytes()),
        )?;
        anyhow::Ok(())
    }
    .await;
    runtime.shutdown().await;
    result
}

/// `attest badge rotate-key --org SLUG`: a new badge key signs from now on; the old one keeps
/// verifying the badges it signed until they expire. Recorded in the ledger.
pub(crate) async fn rotate_key(config: Config, org: String) -> anyhow::Result<()> {
    let runtime = Runtime::start(&config, false).await?;
    let result = async {
        let kek = runtime.kek.as_ref();
        let (org, _pool, tx) =
            org_transaction(&runtime, &org, &[Permission::CredentialsManage]).await?;
        tx.rollback().await?;
        // Key rows are written by the owner only (the server may not change them).
        let owner = runtime.owner_pool(org.region).await?;
        let now = OffsetDateTime::now_utc();
        let caller = Caller::command(org.org_id, org.region, [Permission::CredentialsManage]);
        let mut tx = caller.write_on(&owner).await?;
        let kid = badges::rotate_key(&mut tx, kek, org.org_id, now).await?;
        let kid_hex: String = kid.0.iter().map(|b| format!("{b:02x}")).collect();
        tx.record(
            AuditAction::BadgeKeyRotated,
            Resource::new("badge_key", &kid_hex),
            None,
            serde_json::json!({ "kid": kid_hex, "via": "command line" }),
        )
        .await?;
        tx.commit().await?;
        writeln!(
            std::io::stdout(),
            "{}: badges are now signed with key {kid_hex}; the previous key keeps verifying the badges it signed for {} hours.",
            org.slug,
            badges::BADGE_LIFETIME_SECS / 3600,
        )?;
        anyhow::Ok(())
    }
    .await;
    runtime.shutdown().await;
    result
}
