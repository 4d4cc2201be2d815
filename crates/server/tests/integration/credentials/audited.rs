//! Every credential action, driven through the HTTP API, records exactly its events (actor and
//! role, resource, subject, source IP, user agent, request id), in the same transaction.

use super::fixture::{PDF, Workforce};
use crate::audited_actions::{AGENT, Watch, ok, send};
use crate::support::TestResponse;
use http::Method;
use serde_json::json;

const LIAM: Option<&str> = Some("liam@acme.example");

/// A raw-body POST with the audit test's user agent.
async fn post_file(w: &Workforce, path: &str, bytes: &[u8]) -> anyhow::Result<TestResponse> {
    let request = http::Request::post(path)
        .header(
            "authorization",
            format!("Bearer {}", w.manager.session.access_token),
        )
        .header("content-type", "application/octet-stream")
        .header(AGENT.0, AGENT.1)
        .body(axum::body::Body::from(bytes.to_vec()))?;
    ok(w.app.request(request).await?, path).await
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one scenario, step by step, is the table"
)]
async fn every_credential_action_records_exactly_its_events() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    let app = &w.app;
    let token = w.manager.session.access_token.clone();
    let manager = Some(token.as_str());
    let a = w.worker_a.id;
    let mut watch = Watch::from_now(app).await?;
    let call = |method: Method, path: String, body: Option<serde_json::Value>| {
        let token = token.clone();
        async move { ok(send(app, method, &path, Some(&token), body).await?, "call").await }
    };

    // The fixture adopted the whole starter catalogue: adopting it again adds nothing, succeeds
    // and records nothing.
    call(
        Method::POST,
        "/api/v1/credential-types/starter".into(),
        Some(json!({})),
    )
    .await?;
    watch.check("starter adopted again", &[]).await?;

    let r = call(
        Method::POST,
        "/api/v1/credential-types".into(),
        Some(json!({"code": "CRANE", "name": "Mobile Crane Operator"})),
    )
    .await?;
    let crane = r.json()["type_id"].as_str().unwrap_or_default().to_owned();
    watch
        .check(
            "type added",
            &[(
                "credential_type.created",
                "hse_manager",
                "credential_type",
                None,
            )],
        )
        .await?;
    call(
        Method::PATCH,
        format!("/api/v1/credential-types/{crane}"),
        Some(json!({"validity_months": 60})),
    )
    .await?;
    watch
        .check(
            "type changed",
            &[(
                "credential_type.updated",
                "hse_manager",
                "credential_type",
                None,
            )],
        )
        .await?;

    let r = call(
        Method::POST,
        "/api/v1/job-roles".into(),
        Some(json!({"name": "Crane operator"})),
    )
    .await?;
    let role = r.json()["job_role_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    watch
        .check(
            "job role added",
            &[("job_role.created", "hse_manager", "job_role", None)],
        )
        .await?;
    call(
        Method::PUT,
        format!("/api/v1/workers/{a}/job-role"),
        Some(json!({"job_role_id": role})),
    )
    .await?;
    watch
        .check(
            "job role given",
            &[("worker.job_role_changed", "hse_manager", "account", LIAM)],
        )
        .await?;

    let r = call(
        Method::POST,
        "/api/v1/requirements".into(),
        Some(json!({"type_id": crane, "job_role_id": role})),
    )
    .await?;
    let requirement = r.json()["requirement_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    watch
        .check(
            "requirement added",
            &[("requirement.added", "hse_manager", "requirement", None)],
        )
        .await?;
    call(
        Method::DELETE,
        format!("/api/v1/requirements/{requirement}"),
        None,
    )
    .await?;
    watch
        .check(
            "requirement removed",
            &[("requirement.removed", "hse_manager", "requirement", None)],
        )
        .await?;

    let r = post_file(&w, &format!("/api/v1/workers/{a}/evidence"), PDF).await?;
    let evidence = r.json()["evidence_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    watch
        .check(
            "evidence uploaded",
            &[(
                "credential.evidence_uploaded",
                "hse_manager",
                "evidence",
                LIAM,
            )],
        )
        .await?;

    let body = json!({"type_id": crane, "issuer": "Crane Academy", "issued_on": "2026-01-05", "number": "CR-1", "evidence_id": evidence});
    let r = call(
        Method::POST,
        format!("/api/v1/workers/{a}/credentials"),
        Some(body),
    )
    .await?;
    let cred = r.json()["credential_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    watch
        .check(
            "credential added",
            &[("credential.added", "hse_manager", "credential", LIAM)],
        )
        .await?;

    call(Method::GET, format!("/api/v1/credentials/{cred}"), None).await?;
    watch
        .check(
            "personal fields viewed",
            &[(
                "credential.personal_viewed",
                "hse_manager",
                "credential",
                LIAM,
            )],
        )
        .await?;
    ok(
        send(
            app,
            Method::GET,
            &format!("/api/v1/credentials/{cred}"),
            Some(&w.worker_a.session.access_token),
            None,
        )
        .await?,
        "own",
    )
    .await?;
    watch.check("a worker reading their own", &[]).await?;
    ok(
        send(
            app,
            Method::GET,
            &format!("/api/v1/credentials/{cred}"),
            Some(&w.supervisor_a.session.access_token),
            None,
        )
        .await?,
        "crew",
    )
    .await?;
    watch
        .check("a supervisor reading without personal fields", &[])
        .await?;
    call(Method::GET, format!("/api/v1/evidence/{evidence}"), None).await?;
    watch
        .check(
            "evidence opened",
            &[(
                "credential.evidence_viewed",
                "hse_manager",
                "evidence",
                LIAM,
            )],
        )
        .await?;

    call(
        Method::POST,
        format!("/api/v1/credentials/{cred}/renewals"),
        Some(json!({"issuer": "Crane Academy", "issued_on": "2026-06-05"})),
    )
    .await?;
    watch
        .check(
            "renewal",
            &[("credential.renewed", "hse_manager", "credential", LIAM)],
        )
        .await?;
    call(
        Method::POST,
        format!("/api/v1/credentials/{cred}/suspend"),
        Some(json!({"reason": "Near miss"})),
    )
    .await?;
    watch
        .check(
            "suspension",
            &[("credential.suspended", "hse_manager", "credential", LIAM)],
        )
        .await?;
    call(
        Method::POST,
        format!("/api/v1/credentials/{cred}/reinstate"),
        Some(json!({})),
    )
    .await?;
    watch
        .check(
            "reinstatement",
            &[("credential.reinstated", "hse_manager", "credential", LIAM)],
        )
        .await?;
    call(
        Method::POST,
        format!("/api/v1/credentials/{cred}/revoke"),
        Some(json!({"reason": "Forged card"})),
    )
    .await?;
    watch
        .check(
            "revocation",
            &[("credential.revoked", "hse_manager", "credential", LIAM)],
        )
        .await?;

    // A refused call records nothing.
    let r = send(
        app,
        Method::POST,
        &format!("/api/v1/credentials/{cred}/suspend"),
        manager,
        Some(json!({"reason": "again"})),
    )
    .await?;
    assert_eq!(r.status, http::StatusCode::CONFLICT);
    watch.check("a refused change", &[]).await?;

    call(
        Method::PUT,
        "/api/v1/credential-settings".into(),
        Some(json!({"expiring_window_days": 45, "reminder_offsets_days": [30, 0]})),
    )
    .await?;
    watch
        .check(
            "settings",
            &[(
                "credential_settings.changed",
                "hse_manager",
                "organisation",
                None,
            )],
        )
        .await?;

    let file = b"email,credential,issuer,issued_on\nmia@acme.example,WAH,IHSA,2026-01-10\n";
    post_file(&w, "/api/v1/imports/credentials", file).await?;
    watch
        .check(
            "import",
            &[("credentials.imported", "hse_manager", "import", None)],
        )
        .await?;
    post_file(&w, "/api/v1/imports/credentials?dry_run=true", file).await?;
    watch.check("a dry run", &[]).await?;
    Ok(())
}
