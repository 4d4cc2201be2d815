//! Invitations, role changes (audited), suspension, and the boundaries: permissions, one's own
//! membership, the last administrator, other organisations.

use crate::support::TestApp;
use http::{Method, StatusCode};
use serde_json::{Value, json};

fn member<'a>(list: &'a Value, email: &str) -> &'a Value {
    list.as_array()
        .and_then(|m| m.iter().find(|m| m["email"] == email))
        .unwrap_or(&Value::Null)
}

#[tokio::test]
async fn an_invited_member_chooses_a_password_and_signs_in_with_their_role() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let admin = app.session(&app.verified_org("acme", "na").await?).await?;
    let r = app.authed(Method::POST, "/api/v1/members", &admin.access_token, Some(json!({"email": "sam@acme.example", "name": "Sam Supervisor", "role": "supervisor"}))).await?;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["status"], "pending");
    let (subject, body) = app.last_mail("sam@acme.example").await?;
    assert!(subject.contains("invited you to acme Ltd"), "{subject}");
    assert!(body.contains("as Supervisor"), "{body}");
    let token = crate::accounts::link_token(&body);
    let weak = app
        .post_json(
            "/api/v1/auth/accept-invitation",
            &json!({"token": token, "password": "sam supervisor"}),
        )
        .await?;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = app
        .post_json(
            "/api/v1/auth/accept-invitation",
            &json!({"token": token, "password": crate::accounts::PASSWORD}),
        )
        .await?;
    assert_eq!(ok.status, StatusCode::OK);
    let sam = crate::accounts::Creds {
        organisation: "acme".into(),
        email: "sam@acme.example".into(),
        password: crate::accounts::PASSWORD.into(),
    };
    let r = app.sign_in(&sam).await?;
    assert_eq!(r.json()["user"]["role"], "supervisor");
    let list = app
        .authed(Method::GET, "/api/v1/members", &admin.access_token, None)
        .await?
        .json();
    assert_eq!(member(&list, "sam@acme.example")["status"], "active");
    let actions = app.audit_actions("sam@acme.example").await?;
    assert_eq!(
        actions,
        [
            "member.invited",
            "member.invitation_accepted",
            "auth.sign_in"
        ]
    );
    Ok(())
}

#[tokio::test]
async fn a_role_change_is_audited_and_takes_effect_at_the_next_refresh() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let admin = app.session(&app.verified_org("acme", "na").await?).await?;
    let worker_creds = app
        .invited(&admin, "acme", "will@acme.example", "worker")
        .await?;
    let worker = app.session(&worker_creds).await?;
    assert_eq!(
        app.authed(Method::GET, "/api/v1/members", &worker.access_token, None)
            .await?
            .status,
        StatusCode::FORBIDDEN
    );

    let list = app
        .authed(Method::GET, "/api/v1/members", &admin.access_token, None)
        .await?
        .json();
    let id = member(&list, "will@acme.example")["user_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let r = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/members/{id}"),
            &admin.access_token,
            Some(json!({"role": "hse_manager"})),
        )
        .await?;
    assert_eq!(r.json()["role"], "hse_manager");
    let (action, details, actor_role, ip): (String, Value, String, String) = sqlx::query_as(
        "select e.action, e.details, e.actor_role, p.source_ip from audit.events e
         join attest.audit_personal p using (org_id, event_row) where e.action = 'member.role_changed'",
    )
    .fetch_one(&app.db.na.superuser)
    .await?;
    assert_eq!(
        (action.as_str(), actor_role.as_str(), ip.as_str()),
        ("member.role_changed", "org_admin", "203.0.113.10")
    );
    assert_eq!(details, json!({"from": "worker", "to": "hse_manager"}));

    let refreshed = app
        .with_cookie("/api/v1/auth/refresh", &worker.cookie)
        .await?
        .json();
    let token = refreshed["access_token"].as_str().unwrap_or_default();
    assert_eq!(refreshed["user"]["role"], "hse_manager");
    assert_eq!(
        app.authed(Method::GET, "/api/v1/members", token, None)
            .await?
            .status,
        StatusCode::OK
    );
    Ok(())
}

#[tokio::test]
async fn the_last_admin_stays_and_nobody_changes_their_own_membership() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let admin = app.session(&app.verified_org("acme", "na").await?).await?;
    let me = app
        .authed(Method::GET, "/api/v1/me", &admin.access_token, None)
        .await?
        .json();
    let my_id = me["user_id"].as_str().unwrap_or_default().to_owned();
    let own = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/members/{my_id}"),
            &admin.access_token,
            Some(json!({"role": "worker"})),
        )
        .await?;
    assert_eq!(own.error_code(), "own_membership");

    app.invited(&admin, "acme", "olga@acme.example", "org_admin")
        .await?;
    let second = app
        .session(&crate::accounts::Creds {
            organisation: "acme".into(),
            email: "olga@acme.example".into(),
            password: crate::accounts::PASSWORD.into(),
        })
        .await?;
    let r = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/members/{my_id}"),
            &second.access_token,
            Some(json!({"role": "worker"})),
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "another admin remains");
    let list = app
        .authed(Method::GET, "/api/v1/members", &second.access_token, None)
        .await?
        .json();
    let olga = member(&list, "olga@acme.example")["user_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let _ = olga;
    let back = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/members/{my_id}"),
            &second.access_token,
            Some(json!({"status": "suspended"})),
        )
        .await?;
    assert_eq!(back.status, StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn suspending_a_member_ends_their_sessions_and_stops_their_sign_in() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let admin = app.session(&app.verified_org("acme", "na").await?).await?;
    let worker_creds = app
        .invited(&admin, "acme", "will@acme.example", "worker")
        .await?;
    let worker = app.session(&worker_creds).await?;
    let list = app
        .authed(Method::GET, "/api/v1/members", &admin.access_token, None)
        .await?
        .json();
    let id = member(&list, "will@acme.example")["user_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let r = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/members/{id}"),
            &admin.access_token,
            Some(json!({"status": "suspended"})),
        )
        .await?;
    assert_eq!(r.json()["status"], "suspended");
    assert_eq!(
        app.authed(Method::GET, "/api/v1/me", &worker.access_token, None)
            .await?
            .status,
        StatusCode::UNAUTHORIZED
    );
    let r = app.sign_in(&worker_creds).await?;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::FORBIDDEN, "account_suspended")
    );
    let bad = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/members/{id}"),
            &admin.access_token,
            Some(json!({"status": "deleted"})),
        )
        .await?;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    Ok(())
}

#[tokio::test]
async fn another_organisations_admin_sees_and_changes_nothing_here() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let acme = app.session(&app.verified_org("acme", "na").await?).await?;
    app.invited(&acme, "acme", "will@acme.example", "worker")
        .await?;
    let list = app
        .authed(Method::GET, "/api/v1/members", &acme.access_token, None)
        .await?
        .json();
    let will = member(&list, "will@acme.example")["user_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let maple = app.session(&app.verified_org("maple", "ca").await?).await?;
    let theirs = app
        .authed(Method::GET, "/api/v1/members", &maple.access_token, None)
        .await?
        .json();
    assert!(
        theirs
            .as_array()
            .is_some_and(|m| m.len() == 1 && m[0]["email"] == "admin@maple.example")
    );
    for (method, path, body) in [
        (
            Method::PATCH,
            format!("/api/v1/members/{will}"),
            Some(json!({"role": "org_admin"})),
        ),
        (Method::POST, format!("/api/v1/members/{will}/unlock"), None),
        (
            Method::POST,
            format!("/api/v1/members/{will}/reset-mfa"),
            None,
        ),
    ] {
        let r = app.authed(method, &path, &maple.access_token, body).await?;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    let still = app
        .authed(Method::GET, "/api/v1/members", &acme.access_token, None)
        .await?
        .json();
    assert_eq!(member(&still, "will@acme.example")["role"], "worker");
    Ok(())
}

#[tokio::test]
async fn inviting_needs_a_known_role_and_a_new_address() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let admin = app.session(&app.verified_org("acme", "na").await?).await?;
    let unknown = app
        .authed(
            Method::POST,
            "/api/v1/members",
            &admin.access_token,
            Some(json!({"email": "x@acme.example", "name": "X", "role": "emperor"})),
        )
        .await?;
    assert_eq!(
        unknown.json()["fields"]["role"],
        "is not one of the organisation's roles"
    );
    let platform = app
        .authed(
            Method::POST,
            "/api/v1/members",
            &admin.access_token,
            Some(json!({"email": "x@acme.example", "name": "X", "role": "platform_admin"})),
        )
        .await?;
    assert_eq!(platform.status, StatusCode::UNPROCESSABLE_ENTITY);
    let taken = app
        .authed(
            Method::POST,
            "/api/v1/members",
            &admin.access_token,
            Some(json!({"email": "ADMIN@acme.example", "name": "X", "role": "worker"})),
        )
        .await?;
    assert_eq!(
        (taken.status, taken.error_code().as_str()),
        (StatusCode::CONFLICT, "email_taken")
    );
    let roles = app
        .authed(Method::GET, "/api/v1/roles", &admin.access_token, None)
        .await?
        .json();
    assert_eq!(roles.as_array().map(Vec::len), Some(7));
    Ok(())
}
