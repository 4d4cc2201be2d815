//! Recording, renewing, suspending, reinstating and revoking credentials: statuses, history,
//! validation and the audit record.

use super::fixture::Workforce;
use http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_renewal_adds_a_version_and_keeps_the_history() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    let a = w.worker_a.id;
    let today = w.app.clock_now().date();
    let cred = w
        .add_credential(
            a,
            "WHMIS",
            json!({"issuer": "Safety Co", "issued_on": "2020-01-15", "number": "W-1"}),
        )
        .await?;
    let path = format!("/api/v1/credentials/{cred}");
    let first = w.get(&w.manager, &path).await?.json();
    // WHMIS is valid for 12 months by default: expired long ago.
    assert_eq!(first["expires_on"], "2021-01-15");
    assert_eq!(first["status"], "expired");
    assert_eq!(first["version"], 1);

    let issued = today.to_string();
    let r = w
        .post(
            &w.manager,
            &format!("{path}/renewals"),
            json!({"issuer": "Safety Co", "issued_on": issued, "number": "W-2"}),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let renewed = r.json();
    assert_eq!(renewed["version"], 2);
    assert_eq!(renewed["status"], "valid");
    assert_eq!(renewed["personal"]["number"], "W-2");
    let history = renewed["history"].as_array().cloned().unwrap_or_default();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["version"], 2);
    assert_eq!(history[1]["version"], 1);
    assert_eq!(history[1]["expires_on"], "2021-01-15");
    assert_eq!(history[1]["personal"]["number"], "W-1");
    let actions = w.app.audit_actions("liam@acme.example").await?;
    assert!(
        actions.contains(&"credential.added".to_owned())
            && actions.contains(&"credential.renewed".to_owned())
    );
    Ok(())
}

#[tokio::test]
async fn suspension_and_revocation_need_a_reason_and_follow_the_rules() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    let cred = w
        .add_credential(
            w.worker_a.id,
            "FORK",
            json!({"issuer": "Lift Academy", "issued_on": "2026-01-01", "no_expiry": true}),
        )
        .await?;
    let path = format!("/api/v1/credentials/{cred}");
    let r = w
        .post(&w.manager, &format!("{path}/suspend"), json!({}))
        .await?;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_code(), "validation_failed");
    assert!(r.json()["fields"]["reason"].is_string());
    let r = w
        .post(&w.manager, &format!("{path}/reinstate"), json!({}))
        .await?;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "an active credential is not reinstated"
    );
    let r = w
        .post(
            &w.manager,
            &format!("{path}/suspend"),
            json!({"reason": "Near miss under investigation"}),
        )
        .await?;
    assert_eq!(r.json()["status"], "suspended");
    assert_eq!(r.json()["state_reason"], "Near miss under investigation");
    let r = w
        .post(
            &w.manager,
            &format!("{path}/revoke"),
            json!({"reason": "Certificate was forged"}),
        )
        .await?;
    assert_eq!(r.json()["status"], "revoked");
    for action in ["suspend", "reinstate", "revoke"] {
        let r = w
            .post(
                &w.manager,
                &format!("{path}/{action}"),
                json!({"reason": "again"}),
            )
            .await?;
        assert_eq!(r.status, StatusCode::CONFLICT, "{action} after revocation");
        assert_eq!(r.error_code(), "invalid_state_change");
    }
    // The worker sees their own credential as revoked, with the reason.
    let own = w.get(&w.worker_a, &path).await?.json();
    assert_eq!(own["status"], "revoked");
    let actions = w.app.audit_actions("liam@acme.example").await?;
    for a in ["credential.suspended", "credential.revoked"] {
        assert!(actions.iter().any(|x| x == a), "{a}");
    }
    Ok(())
}

#[tokio::test]
async fn bad_credential_input_gets_a_clear_error_and_stores_nothing() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    let a = w.worker_a.id;
    let fa = w.type_id("FACPR").await?;
    let path = format!("/api/v1/workers/{a}/credentials");
    let cases = [
        (
            json!({"type_id": fa, "issuer": "", "issued_on": "2026-01-01"}),
            "issuer",
        ),
        (
            json!({"type_id": fa, "issuer": "X", "issued_on": "01/02/2026"}),
            "issued_on",
        ),
        (
            json!({"type_id": fa, "issuer": "X", "issued_on": "2026-02-30"}),
            "issued_on",
        ),
        (
            json!({"type_id": fa, "issuer": "X", "issued_on": "2026-05-01", "expires_on": "2026-04-01"}),
            "expires_on",
        ),
        (
            json!({"type_id": fa, "issuer": "X", "issued_on": "2026-05-01", "number": "x".repeat(101)}),
            "number",
        ),
    ];
    for (body, field) in cases {
        let r = w.post(&w.manager, &path, body.clone()).await?;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            r.json()["fields"][field].is_string(),
            "{body}: {}",
            r.json()
        );
    }
    let r = w
        .post(
            &w.manager,
            &path,
            json!({"issuer": "X", "issued_on": "2026-01-01"}),
        )
        .await?;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w
        .post(
            &w.manager,
            &path,
            json!({"type_id": uuid::Uuid::now_v7(), "issuer": "X", "issued_on": "2026-01-01"}),
        )
        .await?;
    assert_eq!(r.error_code(), "unknown_credential_type");
    let r = w
        .post(
            &w.manager,
            &path,
            json!({"type_id": fa, "issuer": "X", "issued_on": "2026-01-01", "colour": "red"}),
        )
        .await?;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let stored: i64 = sqlx::query_scalar("select count(*) from attest.credentials")
        .fetch_one(&w.app.db.na.superuser)
        .await?;
    assert_eq!(stored, 0);
    // One credential per worker and type: a second is a conflict (renew instead).
    w.add_credential(
        a,
        "FACPR",
        json!({"issuer": "X", "issued_on": "2026-01-01"}),
    )
    .await?;
    let r = w
        .post(
            &w.manager,
            &path,
            json!({"type_id": fa, "issuer": "Y", "issued_on": "2026-02-01"}),
        )
        .await?;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error_code(), "credential_exists");
    // Types: codes are validated and unique.
    let r = w
        .post(
            &w.manager,
            "/api/v1/credential-types",
            json!({"code": "fa cpr", "name": "Other"}),
        )
        .await?;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w
        .post(
            &w.manager,
            "/api/v1/credential-types",
            json!({"code": "FACPR", "name": "Other"}),
        )
        .await?;
    assert_eq!(r.error_code(), "type_code_taken");
    let r = w
        .post(
            &w.manager,
            "/api/v1/credential-types",
            json!({"code": "CRANE", "name": "Mobile Crane Operator", "validity_months": 60}),
        )
        .await?;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["code"], "CRANE");
    Ok(())
}
