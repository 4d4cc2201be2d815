//! Badges through the HTTP API: a worker's signed badge, the trust bundle a gate verifies it
//! with offline, revocation through the status list, key rotation, another organisation's key,
//! and online verification recorded once per scan.

use super::fixture::{Member, Workforce};
use crate::audited_actions::{Watch, ok, send};
use attest_badge::{Badge, Gate, open_bundle, read_qr_png};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::VerifyingKey;
use http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

/// What a worker's credentials say that a gate must never see.
const SECRETS: [&str; 4] = [
    "WAH-7788-SECRET",
    "note: medical restriction",
    "liam@acme.example",
    "evidence",
];

async fn platform_key(w: &Workforce) -> anyhow::Result<VerifyingKey> {
    let r = w.app.get("/api/v1/badges/platform-key").await?;
    assert_eq!(r.status, StatusCode::OK, "the platform key is public");
    assert_eq!(r.header("cache-control"), "public, max-age=86400");
    let bytes = URL_SAFE_NO_PAD.decode(r.json()["public_key"].as_str().unwrap_or_default())?;
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("not 32 bytes"))?;
    Ok(VerifyingKey::from_bytes(&bytes)?)
}

/// The gate of `who`'s organisation, as a phone opens the bundle it downloaded.
async fn gate(w: &Workforce, who: &Member) -> anyhow::Result<Gate> {
    let r = w.get(who, "/api/v1/badges/bundle").await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let key = platform_key(w).await?;
    Ok(open_bundle(&r.body, &key, now(w), 300)?)
}

fn now(w: &Workforce) -> i64 {
    w.app.clock_now().unix_timestamp()
}

async fn own_badge(w: &Workforce, who: &Member) -> anyhow::Result<Value> {
    let r = w.get(who, "/api/v1/me/badge").await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    Ok(r.json())
}

/// Liam holds working at heights (with a number and notes) and fall protection.
async fn liam_with_credentials(w: &Workforce) -> anyhow::Result<Uuid> {
    let evidence = w.upload(w.worker_a.id, super::fixture::PDF).await?;
    let wah = w
        .add_credential(
            w.worker_a.id,
            "WAH",
            json!({"issuer": "SafeCo", "issued_on": "2026-01-10", "number": SECRETS[0],
                   "notes": SECRETS[1], "evidence_id": evidence}),
        )
        .await?;
    w.add_credential(
        w.worker_a.id,
        "FALL",
        json!({"issuer": "SafeCo", "issued_on": "2026-02-01"}),
    )
    .await?;
    Ok(wah)
}

fn payload_of(badge: &Value) -> String {
    badge["payload"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_workers_badge_verifies_offline_with_the_bundle_and_shows_only_names_and_statuses()
-> anyhow::Result<()> {
    let w = Workforce::new().await?;
    liam_with_credentials(&w).await?;
    let badge = own_badge(&w, &w.worker_a).await?;
    let text = badge.to_string();
    for secret in SECRETS {
        assert!(!text.contains(secret), "the badge response holds {secret}");
    }
    assert!(
        badge["svg"]
            .as_str()
            .unwrap_or_default()
            .starts_with("<?xml")
    );
    assert!(badge["qr_version"].as_i64().unwrap_or(99) <= 12);
    let payload = payload_of(&badge);
    let (_, claims, _) = attest_badge::decode(&payload)?;
    assert_eq!(claims.issuer, "acme");
    assert_eq!(claims.subject.len(), 12, "a pseudonym, not the user id");
    assert!(!claims.subject.contains('@'));
    assert_eq!(claims.credentials.len(), 2);

    // The same badge again within ten minutes: the same payload (nothing new to show).
    assert_eq!(payload_of(&own_badge(&w, &w.worker_a).await?), payload);

    // The PNG holds the same payload.
    let png = w.get(&w.worker_a, "/api/v1/me/badge.png").await?;
    assert_eq!(png.header("content-type"), "image/png");
    assert_eq!(read_qr_png(&png.body)?, payload);

    let gate = gate(&w, &w.supervisor_a).await?;
    let result = gate.check(&payload, now(&w));
    assert!(result.valid, "{:?}", result.reason);
    assert_eq!(result.name.as_deref(), Some("Ivy Invitee"));
    let names: Vec<(&str, &str)> = result
        .credentials
        .iter()
        .map(|c| (c.name.as_str(), c.status))
        .collect();
    assert_eq!(
        names,
        [
            ("Fall Protection", "valid"),
            ("Working at Heights", "valid")
        ]
    );
    let shown = format!("{result:?}");
    for secret in SECRETS {
        assert!(!shown.contains(secret), "the gate shows {secret}");
    }

    // Altered by one character: refused.
    let mut altered = payload.clone().into_bytes();
    let i = altered.len() - 10;
    altered[i] = if altered[i] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered)?;
    assert!(!gate.check(&altered, now(&w)).valid);
    // Past its expiry: refused — as expired, or (the bundle being dated to the minute, it may
    // end a few seconds before the badge) because the gate's own data has run out by then.
    let late = gate.check(&payload, claims.expires_at);
    assert!(
        matches!(late.reason_code, Some("expired" | "data_too_old")),
        "{late:?}"
    );
    let limit = gate.data_as_of + gate.max_offline_age;
    if claims.expires_at <= limit {
        assert_eq!(late.reason_code, Some("expired"));
    }
    Ok(())
}

#[tokio::test]
async fn revoking_a_credential_makes_the_next_bundle_reject_the_badge_and_a_new_badge_pass()
-> anyhow::Result<()> {
    let w = Workforce::new().await?;
    let wah = liam_with_credentials(&w).await?;
    let before = payload_of(&own_badge(&w, &w.worker_a).await?);
    let old_gate = gate(&w, &w.supervisor_a).await?;
    assert!(old_gate.check(&before, now(&w)).valid);

    let r = w
        .post(
            &w.manager,
            &format!("/api/v1/credentials/{wah}/revoke"),
            json!({"reason": "Certificate found to be forged"}),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );

    let new_gate = gate(&w, &w.supervisor_a).await?;
    let refused = new_gate.check(&before, now(&w));
    assert!(!refused.valid);
    assert_eq!(refused.reason_code, Some("revoked"));
    assert!(refused.name.is_none(), "a refused badge shows no name");

    // The worker's next badge has a fresh index and states the revocation.
    let after = payload_of(&own_badge(&w, &w.worker_a).await?);
    let (_, old_claims, _) = attest_badge::decode(&before)?;
    let (_, new_claims, _) = attest_badge::decode(&after)?;
    assert_ne!(old_claims.status.index, new_claims.status.index);
    let result = new_gate.check(&after, now(&w));
    assert!(result.valid, "{:?}", result.reason);
    assert!(
        result
            .credentials
            .iter()
            .any(|c| c.code == "WAH" && c.status == "revoked")
    );
    // Online verification agrees.
    let r = scan(&w, &w.supervisor_a, &before, Uuid::now_v7()).await?;
    assert_eq!(r["reason_code"], "revoked");
    Ok(())
}

async fn scan(w: &Workforce, who: &Member, payload: &str, scan_id: Uuid) -> anyhow::Result<Value> {
    let r = send(
        &w.app,
        Method::POST,
        "/api/v1/badges/verify",
        Some(&who.session.access_token),
        Some(json!({"payload": payload, "scan_id": scan_id, "location": "Harbour Tower, north gate"})),
    )
    .await?;
    Ok(ok(r, "verify").await?.json())
}

#[tokio::test]
async fn online_verification_is_recorded_once_per_scan_with_who_where_when_and_the_result()
-> anyhow::Result<()> {
    let w = Workforce::new().await?;
    liam_with_credentials(&w).await?;
    let payload = payload_of(&own_badge(&w, &w.worker_a).await?);
    let mut watch = Watch::from_now(&w.app).await?;
    let scan_id = Uuid::now_v7();
    let first = scan(&w, &w.supervisor_a, &payload, scan_id).await?;
    assert_eq!(first["valid"], true);
    assert_eq!(first["name"], "Ivy Invitee");
    assert_eq!(first["duplicate"], false);
    let text = first.to_string();
    for secret in SECRETS {
        assert!(!text.contains(secret), "the scan result holds {secret}");
    }
    watch
        .check(
            "scan",
            &[(
                "credential.verified",
                "supervisor",
                "badge_scan",
                Some("liam@acme.example"),
            )],
        )
        .await?;
    let details: Value =
        sqlx::query_scalar("select details from audit.events where action = 'credential.verified'")
            .fetch_one(&w.app.db.na.superuser)
            .await?;
    assert_eq!(details["valid"], true);
    assert_eq!(details["location"], "Harbour Tower, north gate");
    assert!(details["scanned_at"].is_string());

    // The same scan synced again: the same answer, not recorded twice.
    let again = scan(&w, &w.supervisor_a, &payload, scan_id).await?;
    assert_eq!(again["duplicate"], true);
    assert_eq!(again["valid"], true);
    watch.check("the same scan again", &[]).await?;
    // Another supervisor may not reuse the id.
    let r = send(
        &w.app,
        Method::POST,
        "/api/v1/badges/verify",
        Some(&w.supervisor_b.session.access_token),
        Some(json!({"payload": payload, "scan_id": scan_id})),
    )
    .await?;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error_code(), "scan_id_taken");

    // A damaged payload is a result, not an error; and it is recorded.
    let bad = scan(&w, &w.supervisor_a, "AT1:NOT-A-BADGE", Uuid::now_v7()).await?;
    assert_eq!(bad["valid"], false);
    assert_eq!(bad["reason_code"], "malformed");
    watch
        .check(
            "damaged",
            &[("credential.verified", "supervisor", "badge_scan", None)],
        )
        .await?;
    Ok(())
}

#[tokio::test]
async fn only_those_who_verify_get_the_bundle_and_bad_scans_are_refused_clearly()
-> anyhow::Result<()> {
    let w = Workforce::new().await?;
    let r = w.get(&w.worker_a, "/api/v1/badges/bundle").await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w.app.get("/api/v1/badges/bundle").await?;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = w
        .post(
            &w.worker_a,
            "/api/v1/badges/verify",
            json!({"payload": "AT1:", "scan_id": Uuid::now_v7()}),
        )
        .await?;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for (body, field) in [
        (
            json!({"payload": "A".repeat(5000), "scan_id": Uuid::now_v7()}),
            "payload",
        ),
        (
            json!({"payload": "AT1:", "scan_id": Uuid::now_v7(), "scanned_at": "2099-01-01T00:00:00Z"}),
            "scanned_at",
        ),
        (
            json!({"payload": "AT1:", "scan_id": Uuid::now_v7(), "location": "x".repeat(200)}),
            "location",
        ),
    ] {
        let r = w
            .post(&w.supervisor_a, "/api/v1/badges/verify", body)
            .await?;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(
            r.json()["fields"][field].is_string(),
            "{field}: {}",
            r.json()
        );
    }
    let r = w
        .post(
            &w.supervisor_a,
            "/api/v1/badges/verify",
            json!({"payload": 5}),
        )
        .await?;
    assert!(r.status.is_client_error());

    // The bundle is cacheable for a minute and revalidates by its ETag.
    let r = w.get(&w.supervisor_a, "/api/v1/badges/bundle").await?;
    assert_eq!(
        r.header("cache-control"),
        "private, max-age=60, must-revalidate"
    );
    let etag = r.header("etag").to_owned();
    let request = http::Request::get("/api/v1/badges/bundle")
        .header(
            "authorization",
            format!("Bearer {}", w.supervisor_a.session.access_token),
        )
        .header("if-none-match", &etag)
        .body(axum::body::Body::empty())?;
    let r = w.app.request(request).await?;
    assert!(
        r.status == StatusCode::NOT_MODIFIED || r.header("etag") != etag,
        "unchanged data in the same minute revalidates"
    );
    Ok(())
}

/// A transaction in the context of the organisation `slug` (as Attest itself, no permissions).
async fn as_organisation(w: &Workforce, slug: &str) -> anyhow::Result<(Uuid, attest_store::Tx)> {
    in_context(w, slug, &w.app.db.na.app).await
}

/// The same, on `pool` (the owner's, for what only the owner writes).
async fn in_context(
    w: &Workforce,
    slug: &str,
    pool: &sqlx::PgPool,
) -> anyhow::Result<(Uuid, attest_store::Tx)> {
    let org: Uuid = sqlx::query_scalar("select org_id from attest.organisations where slug = $1")
        .bind(slug)
        .fetch_one(&w.app.db.na.superuser)
        .await?;
    let context = attest_store::AccessContext {
        org_id: org.into(),
        user_id: None,
        permissions: attest_core::PermissionSet::empty(),
    };
    Ok((org, attest_store::begin(pool, &context).await?))
}

#[tokio::test]
async fn another_organisations_key_never_vouches_for_this_organisations_workers()
-> anyhow::Result<()> {
    let w = Workforce::new().await?;
    liam_with_credentials(&w).await?;
    let genuine = payload_of(&own_badge(&w, &w.worker_a).await?);
    let (_, claims, _) = attest_badge::decode(&genuine)?;
    // Rival's own badge: not one of ours.
    let rival = payload_of(&own_badge(&w, &w.outsider).await?);
    let acme_gate = gate(&w, &w.supervisor_a).await?;
    assert_eq!(
        acme_gate.check(&rival, now(&w)).reason_code,
        Some("unknown_key")
    );
    // Rival signs Liam's claims (issuer acme) with its own real badge key.
    let (org, mut tx) = as_organisation(&w, "rival").await?;
    let signer = attest_store::badges::signer(
        &mut tx,
        w.app.state.kek.as_ref(),
        org.into(),
        w.app.clock_now(),
    )
    .await?;
    tx.commit().await?;
    let forged: Badge = claims.clone();
    let forged = attest_badge::sign(&forged, &signer.kid, &signer.key)?;
    let refused = acme_gate.check(&forged, now(&w));
    assert!(!refused.valid);
    assert_eq!(refused.reason_code, Some("unknown_key"));
    let online = scan(&w, &w.supervisor_a, &forged, Uuid::now_v7()).await?;
    assert_eq!(online["valid"], false);
    // Rival's gate does not accept Acme's genuine badge either.
    let rival_gate = gate(&w, &w.outsider).await?;
    assert!(!rival_gate.check(&genuine, now(&w)).valid);
    Ok(())
}

#[tokio::test]
async fn after_a_key_rotation_both_keys_verify_during_the_overlap() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    liam_with_credentials(&w).await?;
    let old = payload_of(&own_badge(&w, &w.worker_a).await?);
    // Rotation is an operator's command, as the owner: the server's role may not change keys.
    let (_, mut tx) = as_organisation(&w, "acme").await?;
    assert!(
        attest_store::badges::rotate_key(
            &mut tx,
            w.app.state.kek.as_ref(),
            Uuid::nil().into(),
            w.app.clock_now()
        )
        .await
        .is_err()
    );
    drop(tx);
    let (org, mut tx) = in_context(&w, "acme", &w.app.db.na.owner).await?;
    let new_kid = attest_store::badges::rotate_key(
        &mut tx,
        w.app.state.kek.as_ref(),
        org.into(),
        w.app.clock_now(),
    )
    .await?;
    tx.commit().await?;
    let new = payload_of(&own_badge(&w, &w.worker_a).await?);
    let (old_kid, ..) = attest_badge::decode(&old)?;
    let (kid, ..) = attest_badge::decode(&new)?;
    assert_ne!(old_kid, kid);
    assert_eq!(kid, new_kid);
    let gate = gate(&w, &w.supervisor_a).await?;
    assert!(
        gate.check(&old, now(&w)).valid,
        "the old key still vouches for its badges"
    );
    assert!(gate.check(&new, now(&w)).valid);
    Ok(())
}

#[tokio::test]
async fn suspending_a_member_revokes_the_badges_they_carry() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    liam_with_credentials(&w).await?;
    let payload = payload_of(&own_badge(&w, &w.worker_a).await?);
    assert!(
        gate(&w, &w.supervisor_a)
            .await?
            .check(&payload, now(&w))
            .valid
    );
    let r = w
        .app
        .authed(
            Method::PATCH,
            &format!("/api/v1/members/{}", w.worker_a.id),
            &w.admin.session.access_token,
            Some(json!({"status": "suspended"})),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let refused = gate(&w, &w.supervisor_a).await?.check(&payload, now(&w));
    assert_eq!(refused.reason_code, Some("revoked"));
    Ok(())
}

/// A badge that was valid when scanned but has expired since. Online, the server judges it
/// now, whatever time the device claims; a synced offline scan is judged at its scan time only
/// within the offline window, and the record says it was offline and how late it was synced.
#[tokio::test]
async fn a_badge_is_judged_at_the_servers_time_unless_synced_from_within_the_offline_window()
-> anyhow::Result<()> {
    let w = Workforce::new().await?;
    liam_with_credentials(&w).await?;
    let payload = payload_of(&own_badge(&w, &w.worker_a).await?);
    let issued = w.app.clock_now();
    // The badge lives 24 hours; 30 hours on, it has expired.
    w.app.clock.advance(time::Duration::hours(30));
    let sam = crate::accounts::Creds {
        organisation: "acme".into(),
        email: "sam@acme.example".into(),
        password: crate::accounts::PASSWORD.into(),
    };
    let sam = super::fixture::member(&w.app, &sam).await?;
    let at = |hours: i64| {
        (issued + time::Duration::hours(hours))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    let verify = |body: Value| {
        let token = sam.session.access_token.clone();
        let app = &w.app;
        async move {
            let r = send(
                app,
                Method::POST,
                "/api/v1/badges/verify",
                Some(&token),
                Some(body),
            )
            .await?;
            anyhow::Ok(ok(r, "verify").await?.json())
        }
    };
    // Online, claiming to be 7 hours old: judged now, so expired.
    let online =
        verify(json!({"payload": payload, "scan_id": Uuid::now_v7(), "scanned_at": at(23)}))
            .await?;
    assert_eq!(
        (online["valid"].clone(), online["reason_code"].clone()),
        (json!(false), json!("expired"))
    );
    // Offline at hour 23, synced 7 hours later: within the window, judged when it was scanned.
    let in_window = Uuid::now_v7();
    let synced = verify(
        json!({"payload": payload, "scan_id": in_window, "scanned_at": at(23),
        "offline": {"valid": true}}),
    )
    .await?;
    assert_eq!(synced["valid"], true);
    // Offline at hour 1, synced 29 hours later: past the window, judged now.
    let late = verify(
        json!({"payload": payload, "scan_id": Uuid::now_v7(), "scanned_at": at(1),
        "offline": {"valid": true}}),
    )
    .await?;
    assert_eq!(late["valid"], false);
    let recorded: Value = sqlx::query_scalar(
        "select details from audit.events where action = 'credential.verified' and resource_id = $1",
    )
    .bind(in_window.to_string())
    .fetch_one(&w.app.db.na.superuser)
    .await?;
    assert_eq!(recorded["offline"]["synced_after_seconds"], 7 * 3600);
    assert_eq!(recorded["judged_at"], recorded["scanned_at"]);
    let online_recorded: Vec<Value> = sqlx::query_scalar(
        "select details from audit.events where action = 'credential.verified' and details->'offline' = 'null'::jsonb",
    )
    .fetch_all(&w.app.db.na.superuser)
    .await?;
    assert_eq!(online_recorded.len(), 1);
    assert_eq!(
        online_recorded[0]["scanned_at"],
        json!(
            w.app
                .clock_now()
                .format(&time::format_description::well_known::Rfc3339)?
        ),
        "an online scan is recorded at the server's time"
    );
    Ok(())
}

/// Whoever can write the database as the server cannot add a badge key of their own: a key row
/// is trusted only when its private half, wrapped under the key-encryption key, opens and
/// derives its public half. The injected key is in no bundle, and what it signs is refused.
#[tokio::test]
async fn a_badge_key_row_injected_into_the_database_vouches_for_nothing() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    liam_with_credentials(&w).await?;
    let genuine = payload_of(&own_badge(&w, &w.worker_a).await?);
    let (_, claims, _) = attest_badge::decode(&genuine)?;
    let attacker = ed25519_dalek::SigningKey::from_bytes(&[42; 32]);
    let public = attacker.verifying_key().to_bytes();
    // As the server's own role, in Acme's context: the insert is allowed (keys are made at run
    // time), with a window that covers now (retired a day from now).
    let (org, mut tx) = as_organisation(&w, "acme").await?;
    sqlx::query(
        "insert into attest.org_keys (org_id, key_id, purpose, public_key, private_wrapped, kek_version, created_at, retired_at)
         values ($1, $2, 'badge', $3, $4, 1, now() - interval '1 day', now() + interval '1 day')",
    )
    .bind(org)
    .bind(Uuid::now_v7())
    .bind(public.as_slice())
    .bind(vec![7u8; 60])
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let kid = attest_store::badges::key_id(&public);
    let forged = attest_badge::sign(&claims, &kid, &attacker)?;
    let acme_gate = gate(&w, &w.supervisor_a).await?;
    assert_eq!(
        acme_gate.check(&forged, now(&w)).reason_code,
        Some("unknown_key"),
        "the injected key is not in the bundle"
    );
    assert!(acme_gate.check(&genuine, now(&w)).valid);
    let online = scan(&w, &w.supervisor_a, &forged, Uuid::now_v7()).await?;
    assert_eq!(online["valid"], false);
    assert_eq!(online["reason_code"], "unknown_key");
    Ok(())
}
