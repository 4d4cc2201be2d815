//! Personal fields (credential number, notes, evidence files) are ciphertext in the database,
//! absent from responses to roles without the permission, and reading them is audited.

use super::fixture::{PDF, Workforce};
use http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn personal_fields_are_ciphertext_at_rest_and_absent_for_roles_without_the_permission()
-> anyhow::Result<()> {
    let w = Workforce::new().await?;
    let a = w.worker_a.id;
    let evidence = w.upload(a, PDF).await?;
    let cred = w
        .add_credential(a, "H2S", json!({"issuer": "Energy Safety Canada", "issued_on": "2026-05-01", "number": "ESC-4471-XK", "notes": "Asthma: carries inhaler", "evidence_id": evidence}))
        .await?;

    // Read raw as the owner role (row-level security applies to it too: it acts with the HSE
    // manager's context), and as the superuser: only ciphertext.
    let org: uuid::Uuid =
        sqlx::query_scalar("select org_id from attest.organisations where slug = 'acme'")
            .fetch_one(&w.app.db.na.superuser)
            .await?;
    let context = attest_store::AccessContext {
        org_id: org.into(),
        user_id: Some(w.manager.id.into()),
        permissions: attest_core::BuiltinRole::HseManager.permissions(),
    };
    let mut tx = attest_store::begin(&w.app.db.na.owner, &context).await?;
    let (number, notes): (Vec<u8>, Vec<u8>) = sqlx::query_as(
        "select number_sealed, notes_sealed from attest.credential_personal where credential_id = $1",
    )
    .bind(cred)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    let as_superuser: Vec<u8> = sqlx::query_scalar(
        "select number_sealed from attest.credential_personal where credential_id = $1",
    )
    .bind(cred)
    .fetch_one(&w.app.db.na.superuser)
    .await?;
    assert_eq!(as_superuser, number);
    for sealed in [&number, &notes] {
        let text = String::from_utf8_lossy(sealed);
        assert!(
            !text.contains("ESC-4471") && !text.contains("inhaler"),
            "plaintext at rest"
        );
        assert!(sealed.len() > 28, "nonce and tag present");
    }
    let file: Vec<u8> =
        sqlx::query_scalar("select sealed from attest.credential_evidence where evidence_id = $1")
            .bind(evidence)
            .fetch_one(&w.app.db.na.superuser)
            .await?;
    assert!(
        !file.windows(5).any(|x| x == b"%PDF-"),
        "evidence stored in the clear"
    );
    // Nothing personal in the credential rows or the audit ledger either.
    let everywhere: String = sqlx::query_scalar(
        "select coalesce(string_agg(t::text, ' '), '') from (
            select c::text as t from attest.credentials c
            union all select v::text from attest.credential_versions v
            union all select e.details::text from audit.events e) x",
    )
    .fetch_one(&w.app.db.na.superuser)
    .await?;
    assert!(!everywhere.contains("ESC-4471") && !everywhere.contains("inhaler"));

    // The manager (credentials.personal.read) and the worker see them; the supervisor and the
    // auditor get the credential without them.
    let path = format!("/api/v1/credentials/{cred}");
    let manager = w.get(&w.manager, &path).await?.json();
    assert_eq!(manager["personal"]["number"], "ESC-4471-XK");
    assert_eq!(manager["personal"]["notes"], "Asthma: carries inhaler");
    assert_eq!(manager["personal"]["evidence_id"], evidence.to_string());
    let own = w.get(&w.worker_a, &path).await?.json();
    assert_eq!(own["personal"]["number"], "ESC-4471-XK");
    for who in [&w.supervisor_a, &w.auditor] {
        let r = w.get(who, &path).await?;
        assert_eq!(r.status, StatusCode::OK);
        let body = String::from_utf8_lossy(&r.body).into_owned();
        assert!(
            !body.contains("personal")
                && !body.contains("ESC-4471")
                && !body.contains("inhaler")
                && !body.contains(&evidence.to_string()),
            "{body}"
        );
        assert_eq!(r.json()["issuer"], "Energy Safety Canada");
    }
    // Nor in the worker page or the lists.
    for path in [
        format!("/api/v1/workers/{a}"),
        "/api/v1/workers".to_owned(),
        "/api/v1/readiness".to_owned(),
    ] {
        let body = String::from_utf8_lossy(&w.get(&w.manager, &path).await?.body).into_owned();
        assert!(
            !body.contains("ESC-4471") && !body.contains("inhaler"),
            "{path}: {body}"
        );
    }

    // The evidence comes back byte for byte, as an attachment, and the viewing is on the record.
    let r = w
        .get(&w.manager, &format!("/api/v1/evidence/{evidence}"))
        .await?;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body, PDF);
    assert_eq!(r.header("content-type"), "application/pdf");
    assert!(r.header("content-disposition").starts_with("attachment"));
    assert_eq!(r.header("cache-control"), "no-store");
    let actions = w.app.audit_actions("liam@acme.example").await?;
    for action in [
        "credential.evidence_uploaded",
        "credential.added",
        "credential.personal_viewed",
        "credential.evidence_viewed",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} missing from {actions:?}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn evidence_must_be_a_pdf_jpeg_or_png_within_the_size_limit() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    let a = w.worker_a.id;
    let r = w
        .upload_as(&w.manager, a, b"<html><script>alert(1)</script>")
        .await?;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.error_code(), "unsupported_file_type");
    let r = w.upload_as(&w.manager, a, b"").await?;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(8 * 1024 * 1024 + 1, b' ');
    let r = w.upload_as(&w.manager, a, &big).await?;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let r = w.upload_as(&w.manager, a, png).await?;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["content_type"], "image/png");
    // Evidence of another worker cannot be attached.
    let others = w.upload(w.worker_b.id, PDF).await?;
    let fa = w.type_id("FACPR").await?;
    let r = w
        .post(
            &w.manager,
            &format!("/api/v1/workers/{a}/credentials"),
            json!({"type_id": fa, "issuer": "X", "issued_on": "2026-01-01", "evidence_id": others}),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    Ok(())
}
