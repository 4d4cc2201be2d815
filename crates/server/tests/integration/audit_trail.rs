//! Every authentication event is recorded with actor, action, resource, UTC time, source IP and
//! user agent, in the same transaction as what it records.

use crate::accounts::Creds;
use crate::support::TestApp;
use http::{Method, StatusCode};
use serde_json::json;

#[derive(sqlx::FromRow)]
struct EventRow {
    action: String,
    actor_kind: String,
    actor_role: Option<String>,
    resource_type: String,
    resource_id: Option<String>,
    source_ip: String,
    user_agent: Option<String>,
    occurred_at: time::OffsetDateTime,
}

#[tokio::test]
async fn auth_events_carry_actor_action_resource_time_ip_and_user_agent() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let wrong = Creds {
        password: "definitely not it".into(),
        ..creds.clone()
    };
    let agent = [("user-agent", "AttestTest/1.0")];
    let body = |c: &Creds| json!({"organisation": c.organisation, "email": c.email, "password": c.password});
    app.call(
        Method::POST,
        "/api/v1/auth/sign-in",
        Some(body(&wrong)),
        &agent,
    )
    .await?;
    app.clock.advance(time::Duration::seconds(3));
    let ok = app
        .call(
            Method::POST,
            "/api/v1/auth/sign-in",
            Some(body(&creds)),
            &agent,
        )
        .await?;
    assert_eq!(ok.status, StatusCode::OK);

    let rows: Vec<EventRow> = sqlx::query_as(
        "select e.action, e.actor_kind, e.actor_role, e.resource_type, e.resource_id, p.source_ip, p.user_agent, e.occurred_at
         from audit.events e join attest.audit_personal p using (org_id, event_row)
         where e.action in ('auth.sign_in_failed', 'auth.sign_in') order by e.event_row",
    )
    .fetch_all(&app.db.na.superuser)
    .await?;
    let failed = rows
        .iter()
        .find(|r| r.action == "auth.sign_in_failed")
        .expect("failure recorded");
    assert_eq!(
        (failed.actor_kind.as_str(), failed.resource_type.as_str()),
        ("anonymous", "account")
    );
    let success = rows
        .iter()
        .rev()
        .find(|r| r.action == "auth.sign_in")
        .expect("success recorded");
    assert_eq!(
        (success.actor_kind.as_str(), success.actor_role.as_deref()),
        ("user", Some("org_admin"))
    );
    for row in &rows {
        assert_eq!(row.source_ip, "203.0.113.10");
        assert_eq!(row.user_agent.as_deref(), Some("AttestTest/1.0"));
        assert!(row.resource_id.is_some());
        assert_eq!(row.occurred_at.offset(), time::UtcOffset::UTC);
    }
    let request_ids: Vec<Option<String>> =
        sqlx::query_scalar("select request_id from audit.events")
            .fetch_all(&app.db.na.superuser)
            .await?;
    assert!(
        request_ids
            .iter()
            .all(|r| r.as_deref().is_some_and(|id| id.len() == 36)),
        "every event names its request"
    );
    Ok(())
}

#[tokio::test]
async fn no_event_holds_a_password_or_a_token() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let session = app.session(&creds).await?;
    app.authed(Method::POST, "/api/v1/me/password", &session.access_token, Some(json!({"current_password": creds.password, "new_password": "a brand new passphrase for winter"}))).await?;
    app.post_json(
        "/api/v1/auth/forgot-password",
        &json!({"organisation": "acme", "email": creds.email}),
    )
    .await?;
    app.await_event("auth.password_reset_requested").await?;
    let everything: Vec<String> = sqlx::query_scalar(
        "select row_to_json(e)::text || coalesce(row_to_json(p)::text, '')
             from audit.events e left join attest.audit_personal p using (org_id, event_row)",
    )
    .fetch_all(&app.db.na.superuser)
    .await?;
    for row in everything {
        for secret in [
            creds.password.as_str(),
            "a brand new passphrase for winter",
            session.access_token.as_str(),
            "token=",
        ] {
            assert!(
                !row.contains(secret),
                "an audit event holds a secret: {row}"
            );
        }
    }
    Ok(())
}
