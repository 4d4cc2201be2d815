//! `attest badge` from the outside: the bundle it writes verifies a worker's badge offline (from
//! the payload or from a PNG of its QR code, which zbarimg, an independent decoder, reads back
//! to the exact payload); altered, expired, revoked and forged badges and unusable bundles give
//! exit statuses 1 and 2; after a key rotation the old badge still verifies.

use crate::{attest, text};
use attest_core::{BuiltinRole, CredentialState, DisplayName, EmailAddress, UserId};
use attest_crypto::LocalKek;
use attest_store::embedded::ClusterRole;
use attest_store::{AccessContext, badges, begin, credential_types, credentials, people};
use attest_testkit::{regions, shared_cluster};
use secrecy::ExposeSecret;
use std::path::Path;
use std::process::Output;
use time::OffsetDateTime;

#[tokio::test(flavor = "multi_thread")]
#[expect(clippy::too_many_lines, reason = "one scenario, step by step")]
async fn a_bundle_from_the_command_line_verifies_badges_offline_and_refuses_bad_ones()
-> anyhow::Result<()> {
    let t = regions().await?;
    let created = crate::acme(&t).await?;
    let org_id = created.organisation.org_id;
    let dir = tempfile::tempdir()?;
    std::fs::create_dir_all(dir.path().join("keys"))?;
    let kek = LocalKek::open_or_create(&dir.path().join("keys").join("kek"))?;
    // What `attest migrate` does as the owner: the platform's keys.
    attest_store::signing_keys::ensure(&t.na.owner, &kek).await?;
    let admin = AccessContext {
        org_id,
        user_id: Some(created.admin_id),
        permissions: BuiltinRole::OrgAdmin.permissions(),
    };
    let manager = AccessContext {
        permissions: BuiltinRole::HseManager.permissions(),
        ..admin.clone()
    };
    let liam = UserId::new();
    let mut tx = begin(&t.na.app, &admin).await?;
    people::insert(
        &mut tx,
        org_id,
        &people::NewPerson {
            user_id: liam,
            email: EmailAddress::parse("liam@acme.example")?,
            display_name: DisplayName::parse("Liam Chen")?,
            role_id: created.roles["worker"],
        },
    )
    .await?;
    tx.commit().await?;
    let mut tx = begin(&t.na.app, &manager).await?;
    let starters: Vec<_> = attest_core::STARTER_CATALOGUE.iter().collect();
    credential_types::adopt(&mut tx, org_id, &starters).await?;
    let types = credential_types::list(&mut tx).await?;
    let type_id = |code: &str| types.iter().find(|t| t.code == code).map(|t| t.type_id);
    let mut wah = None;
    for code in ["WAH", "FALL"] {
        let id = credentials::add(
            &mut tx,
            &kek,
            org_id,
            None,
            &credentials::NewCredential {
                user_id: liam,
                type_id: type_id(code).ok_or_else(|| anyhow::anyhow!("no {code}"))?,
                renewal: credentials::Renewal {
                    issuer: "SafeCo".into(),
                    issued_on: time::macros::date!(2026 - 01 - 10),
                    expires_on: Some(time::macros::date!(2030 - 01 - 10)),
                    personal: credentials::PersonalFields {
                        number: Some("WAH-SECRET-42".into()),
                        notes: None,
                        evidence_id: None,
                    },
                },
            },
        )
        .await?;
        wah.get_or_insert(id);
    }
    tx.commit().await?;
    let worker = AccessContext {
        org_id,
        user_id: Some(liam),
        permissions: BuiltinRole::Worker.permissions(),
    };
    let (pool, kek_ref, worker_ref) = (&t.na.app, &kek, &worker);
    let issue_at = |now: OffsetDateTime| async move {
        let mut tx = begin(pool, worker_ref).await?;
        let issued = badges::issue_own(&mut tx, kek_ref, org_id, "acme", liam, now).await?;
        tx.commit().await?;
        anyhow::Ok(issued)
    };
    let issue = || issue_at(OffsetDateTime::now_utc());
    // Issued an hour ago: it expires well within the life of a bundle made now.
    let issued = issue_at(OffsetDateTime::now_utc() - time::Duration::hours(1)).await?;
    let payload = issued.payload.clone();

    let url = shared_cluster()
        .await?
        .cluster
        .url(ClusterRole::App, &t.na.name)
        .expose_secret()
        .to_owned();
    let run = |args: &[&str]| -> Output {
        tokio::task::block_in_place(|| attest(args, &[("DATABASE_URL", url.as_str())], dir.path()))
    };
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let bundle = path("bundle.cose");
    let made = run(&["badge", "bundle", "--org", "acme", "-o", &bundle]);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made));
    let platform_key = String::from_utf8_lossy(&made.stdout)
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    assert_eq!(platform_key.len(), 43, "{}", text(&made));

    // The payload itself, checked with the installation's own platform key (from its database).
    let valid = run(&[
        "badge", "verify", "--bundle", &bundle, "--format", "json", &payload,
    ]);
    assert_eq!(valid.status.code(), Some(0), "{}", text(&valid));
    let json: serde_json::Value = serde_json::from_slice(&valid.stdout)?;
    assert_eq!(json["valid"], true);
    assert_eq!(json["name"], "Liam Chen");
    assert_eq!(json["reason"], serde_json::Value::Null);
    assert_eq!(json["credentials"][0]["code"], "FALL");
    assert_eq!(json["credentials"][0]["name"], "Fall Protection");
    assert_eq!(json["credentials"][0]["status"], "valid");
    assert_eq!(json["credentials"][0]["expires"], "2030-01-10");
    assert!(
        json["data_as_of"]
            .as_str()
            .is_some_and(|d| d.ends_with('Z'))
    );
    assert!(!text(&valid).contains("WAH-SECRET-42"));
    assert!(!text(&valid).contains("liam@acme.example"));

    // A PNG of the QR code: zbarimg reads it back exactly, and so does attest, offline.
    let png = path("badge.png");
    std::fs::write(&png, attest_badge::qr_png(&payload, 6)?)?;
    assert_eq!(zbarimg(Path::new(&png))?, payload);
    let from_image = run(&[
        "badge",
        "verify",
        "--bundle",
        &bundle,
        "--platform-key",
        &platform_key,
        &png,
    ]);
    assert_eq!(from_image.status.code(), Some(0), "{}", text(&from_image));
    assert!(
        text(&from_image).contains("VALID  Liam Chen"),
        "{}",
        text(&from_image)
    );

    let offline = |args: &[&str]| {
        let mut all = vec!["badge", "verify", "--bundle", bundle.as_str()];
        all.extend_from_slice(&["--platform-key", platform_key.as_str(), "--format", "json"]);
        all.extend_from_slice(args);
        run(&all)
    };
    let reason = |o: &Output| -> String {
        serde_json::from_slice::<serde_json::Value>(&o.stdout).map_or_else(
            |_| String::new(),
            |j| j["reason_code"].as_str().unwrap_or_default().to_owned(),
        )
    };
    // Altered: exit 1 with a reason.
    let mut altered = payload.clone().into_bytes();
    let i = altered.len() / 2;
    altered[i] = if altered[i] == b'0' { b'1' } else { b'0' };
    let altered = String::from_utf8(altered)?;
    let refused = offline(&[&altered]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(matches!(
        reason(&refused).as_str(),
        "bad_signature" | "malformed"
    ));
    assert_eq!(reason(&offline(&["HC1:NOTOURS"])), "wrong_prefix");
    // When it has expired (the bundle still current): exit 1.
    let at = |seconds: i64| -> anyhow::Result<String> {
        Ok(OffsetDateTime::from_unix_timestamp(seconds)?
            .format(&time::format_description::well_known::Rfc3339)?)
    };
    let expired = offline(&["--at", &at(issued.badge.expires_at)?, &payload]);
    assert_eq!(expired.status.code(), Some(1), "{}", text(&expired));
    assert_eq!(reason(&expired), "expired");
    // Two days on, the bundle itself is too old to rely on; before it was made, the clock is
    // wrong: exit 2, saying so.
    let late = offline(&["--at", &at(issued.badge.issued_at + 2 * 86_400)?, &payload]);
    assert_eq!(late.status.code(), Some(2), "{}", text(&late));
    assert!(text(&late).contains("too old"), "{}", text(&late));
    let early = offline(&["--at", &at(issued.badge.issued_at - 7_200)?, &payload]);
    assert_eq!(early.status.code(), Some(2), "{}", text(&early));
    // A bundle the pinned key did not sign, and a bundle file that is not one: exit 2.
    let wrong_key = run(&[
        "badge",
        "verify",
        "--bundle",
        &bundle,
        "--platform-key",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        &payload,
    ]);
    assert_eq!(wrong_key.status.code(), Some(2), "{}", text(&wrong_key));
    std::fs::write(path("junk.cose"), b"junk")?;
    let junk = run(&[
        "badge",
        "verify",
        "--bundle",
        &path("junk.cose"),
        "--platform-key",
        &platform_key,
        &payload,
    ]);
    assert_eq!(junk.status.code(), Some(2), "{}", text(&junk));

    // Revoked: the next bundle refuses the badge.
    let mut tx = begin(&t.na.app, &manager).await?;
    credentials::set_state(
        &mut tx,
        wah.ok_or_else(|| anyhow::anyhow!("no credential"))?,
        CredentialState::Suspended,
        Some("under review"),
        OffsetDateTime::now_utc(),
    )
    .await?;
    tx.commit().await?;
    let newer = path("bundle-2.cose");
    let made = run(&["badge", "bundle", "--org", "acme", "-o", &newer]);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made));
    let revoked = run(&[
        "badge",
        "verify",
        "--bundle",
        &newer,
        "--platform-key",
        &platform_key,
        "--format",
        "json",
        &payload,
    ]);
    assert_eq!(revoked.status.code(), Some(1), "{}", text(&revoked));
    assert_eq!(reason(&revoked), "revoked");

    // A new badge passes; after a key rotation it still does, and so does one signed by the new key.
    let fresh = issue().await?.payload;
    // Key rows are written by the owner role only: rotation needs its URL.
    let without_owner = run(&["badge", "rotate-key", "--org", "acme"]);
    assert_eq!(without_owner.status.code(), Some(1));
    assert!(text(&without_owner).contains("ATTEST_MIGRATION_URL"));
    let owner_url = shared_cluster()
        .await?
        .cluster
        .url(ClusterRole::Owner, &t.na.name)
        .expose_secret()
        .to_owned();
    let rotated = tokio::task::block_in_place(|| {
        attest(
            &["badge", "rotate-key", "--org", "acme"],
            &[
                ("DATABASE_URL", url.as_str()),
                ("ATTEST_MIGRATION_URL", owner_url.as_str()),
            ],
            dir.path(),
        )
    });
    assert_eq!(rotated.status.code(), Some(0), "{}", text(&rotated));
    let after_rotation = issue().await?.payload;
    assert_ne!(
        attest_badge::decode(&fresh)?.0,
        attest_badge::decode(&after_rotation)?.0,
        "signed by the new key"
    );
    let third = path("bundle-3.cose");
    let made = run(&["badge", "bundle", "--org", "acme", "-o", &third]);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made));
    for badge in [&fresh, &after_rotation] {
        let ok = run(&[
            "badge",
            "verify",
            "--bundle",
            &third,
            "--platform-key",
            &platform_key,
            badge,
        ]);
        assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    }
    let rotations: i64 = sqlx::query_scalar(
        "select count(*) from audit.events where action = 'badge.key_rotated' and actor_kind = 'system'",
    )
    .fetch_one(&t.na.superuser)
    .await?;
    assert_eq!(rotations, 1);
    Ok(())
}

/// The QR code's text as zbarimg (ZBar, an independent decoder) reads it.
fn zbarimg(png: &Path) -> anyhow::Result<String> {
    let output = std::process::Command::new("zbarimg")
        .args(["--raw", "--quiet", "-Sdisable", "-Sqrcode.enable"])
        .arg(png)
        .output()
        .map_err(|e| anyhow::anyhow!("zbarimg (apt install zbar-tools): {e}"))?;
    anyhow::ensure!(output.status.success(), "zbarimg: {}", text(&output));
    Ok(String::from_utf8(output.stdout)?
        .trim_end_matches('\n')
        .to_owned())
}
