//! Every audited action, driven through the HTTP API, records exactly the events it should, each
//! with the right actor, action, resource, subject and source IP, in the same transaction.

use crate::accounts::{Creds, PASSWORD, Session, link_token, refresh_cookie};
use crate::mfa::oathtool;
use crate::support::{PUBLIC_URL, TestApp, TestResponse, new_org};
use http::{Method, StatusCode};
use serde_json::{Value, json};

/// One expected event: its action, who acted (`anonymous`, `system`, or the actor's role), the
/// resource type, and whom it is about (an email, or none).
pub(crate) type Expected = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

#[derive(Debug, sqlx::FromRow)]
struct Recorded {
    event_row: i64,
    action: String,
    actor_kind: String,
    actor_role: Option<String>,
    resource_type: String,
    resource_id: Option<String>,
    subject_email: Option<String>,
    source_ip: Option<String>,
    user_agent: Option<String>,
    request_id: Option<String>,
}

/// Reads the events appended since the last look.
pub(crate) struct Watch<'a> {
    app: &'a TestApp,
    seen: i64,
}

impl<'a> Watch<'a> {
    fn new(app: &'a TestApp) -> Self {
        Self { app, seen: 0 }
    }

    /// Watches only what is appended from now on.
    pub(crate) async fn from_now(app: &'a TestApp) -> anyhow::Result<Self> {
        let seen: Option<i64> = sqlx::query_scalar("select max(event_row) from audit.events")
            .fetch_one(&app.db.na.superuser)
            .await?;
        Ok(Self {
            app,
            seen: seen.unwrap_or(0),
        })
    }

    async fn new_events(&mut self) -> anyhow::Result<Vec<Recorded>> {
        let rows: Vec<Recorded> = sqlx::query_as(
            "select e.event_row, e.action, e.actor_kind, e.actor_role, e.resource_type, e.resource_id,
                    u.email as subject_email, p.source_ip, p.user_agent, e.request_id
             from audit.events e
             left join attest.audit_personal p using (org_id, event_row)
             left join attest.users u on u.org_id = e.org_id and u.user_id = e.subject_user_id
             where e.event_row > $1 order by e.event_row",
        )
        .bind(self.seen)
        .fetch_all(&self.app.db.na.superuser)
        .await?;
        if let Some(last) = rows.last() {
            self.seen = last.event_row;
        }
        Ok(rows)
    }

    /// Checks that `step` recorded exactly `expected`, from the test client's address.
    pub(crate) async fn check(&mut self, step: &str, expected: &[Expected]) -> anyhow::Result<()> {
        let rows = self.new_events().await?;
        let got: Vec<(String, String, String, Option<String>)> = rows
            .iter()
            .map(|r| {
                let actor = match r.actor_kind.as_str() {
                    "user" => r.actor_role.clone().unwrap_or_default(),
                    other => other.to_owned(),
                };
                (
                    r.action.clone(),
                    actor,
                    r.resource_type.clone(),
                    r.subject_email.clone(),
                )
            })
            .collect();
        let want: Vec<(String, String, String, Option<String>)> = expected
            .iter()
            .map(|(a, b, c, d)| {
                (
                    (*a).to_owned(),
                    (*b).to_owned(),
                    (*c).to_owned(),
                    d.map(str::to_owned),
                )
            })
            .collect();
        assert_eq!(got, want, "{step}: the events recorded");
        for row in &rows {
            assert_eq!(
                row.source_ip.as_deref(),
                Some("203.0.113.10"),
                "{step}: {} names the source IP",
                row.action
            );
            assert_eq!(
                row.user_agent.as_deref(),
                Some("AttestAuditTest/1.0"),
                "{step}: {} names the user agent",
                row.action
            );
            assert!(
                row.request_id.as_deref().is_some_and(|id| id.len() == 36),
                "{step}: {} names its request",
                row.action
            );
            assert!(
                row.resource_id.is_some(),
                "{step}: {} names its resource",
                row.action
            );
        }
        Ok(())
    }
}

pub(crate) const AGENT: (&str, &str) = ("user-agent", "AttestAuditTest/1.0");

pub(crate) async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> anyhow::Result<TestResponse> {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![AGENT];
    if let Some(b) = &bearer {
        headers.push(("authorization", b.as_str()));
    }
    app.call(method, path, body, &headers).await
}

pub(crate) async fn ok(r: TestResponse, what: &str) -> anyhow::Result<TestResponse> {
    anyhow::ensure!(
        r.status.is_success(),
        "{what}: {} {}",
        r.status,
        String::from_utf8_lossy(&r.body)
    );
    Ok(r)
}

async fn sign_in(app: &TestApp, creds: &Creds) -> anyhow::Result<Session> {
    let r = ok(
        send(
            app,
            Method::POST,
            "/api/v1/auth/sign-in",
            None,
            Some(json!({"organisation": creds.organisation, "email": creds.email, "password": creds.password})),
        )
        .await?,
        "sign-in",
    )
    .await?;
    Ok(Session {
        access_token: r.json()["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        cookie: refresh_cookie(&r).unwrap_or_default(),
    })
}

/// Enrols TOTP (with the independent client's code); returns the secret.
async fn enrol(app: &TestApp, session: &Session, password: &str) -> anyhow::Result<String> {
    let r = ok(
        send(
            app,
            Method::POST,
            "/api/v1/me/mfa/totp",
            Some(&session.access_token),
            Some(json!({"current_password": password})),
        )
        .await?,
        "enrolment",
    )
    .await?;
    let secret = r.json()["secret"].as_str().unwrap_or_default().to_owned();
    ok(
        send(
            app,
            Method::POST,
            "/api/v1/me/mfa/totp/confirm",
            Some(&session.access_token),
            Some(json!({"code": oathtool(app, &secret)})),
        )
        .await?,
        "confirmation",
    )
    .await?;
    Ok(secret)
}

async fn member_id(app: &TestApp, admin: &Session, email: &str) -> anyhow::Result<String> {
    let r = app
        .authed(Method::GET, "/api/v1/members", &admin.access_token, None)
        .await?;
    r.json()
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["email"] == email)
        .and_then(|m| m["user_id"].as_str().map(str::to_owned))
        .ok_or_else(|| anyhow::anyhow!("no member {email}"))
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "one scenario, step by step, is the table"
)]
async fn every_audited_action_records_exactly_its_events() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let mut watch = Watch::new(&app);
    const ADA: &str = "ada@acme.example";
    const WILL: &str = "will@acme.example";

    ok(
        send(
            &app,
            Method::POST,
            "/api/v1/organisations",
            None,
            Some(new_org("acme", "na")),
        )
        .await?,
        "sign-up",
    )
    .await?;
    watch
        .check(
            "sign-up",
            &[(
                "organisation.created",
                "org_admin",
                "organisation",
                Some(ADA),
            )],
        )
        .await?;

    let (_, mail) = app.last_mail(ADA).await?;
    ok(
        send(
            &app,
            Method::POST,
            "/api/v1/auth/verify-email",
            None,
            Some(json!({"token": link_token(&mail)})),
        )
        .await?,
        "verify",
    )
    .await?;
    watch
        .check(
            "email verification",
            &[("auth.email_verified", "org_admin", "account", Some(ADA))],
        )
        .await?;

    let ada = Creds {
        organisation: "acme".into(),
        email: ADA.into(),
        password: "correct horse battery staple".into(),
    };
    let wrong = json!({"organisation": "acme", "email": ADA, "password": "not it at all"});
    let r = send(
        &app,
        Method::POST,
        "/api/v1/auth/sign-in",
        None,
        Some(wrong.clone()),
    )
    .await?;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    watch
        .check(
            "failed sign-in",
            &[("auth.sign_in_failed", "anonymous", "account", Some(ADA))],
        )
        .await?;
    app.clock.advance(time::Duration::seconds(5));

    let admin = sign_in(&app, &ada).await?;
    watch
        .check(
            "sign-in",
            &[("auth.sign_in", "org_admin", "account", Some(ADA))],
        )
        .await?;

    ok(
        send(
            &app,
            Method::POST,
            "/api/v1/members",
            Some(&admin.access_token),
            Some(json!({"email": WILL, "name": "Will Worker", "role": "worker"})),
        )
        .await?,
        "invite",
    )
    .await?;
    watch
        .check(
            "invitation",
            &[("member.invited", "org_admin", "account", Some(WILL))],
        )
        .await?;

    let (_, mail) = app.last_mail(WILL).await?;
    ok(
        send(
            &app,
            Method::POST,
            "/api/v1/auth/accept-invitation",
            None,
            Some(json!({"token": link_token(&mail), "password": PASSWORD})),
        )
        .await?,
        "accept",
    )
    .await?;
    watch
        .check(
            "acceptance",
            &[(
                "member.invitation_accepted",
                "worker",
                "account",
                Some(WILL),
            )],
        )
        .await?;
    let will = Creds {
        organisation: "acme".into(),
        email: WILL.into(),
        password: PASSWORD.into(),
    };
    let worker = sign_in(&app, &will).await?;
    watch
        .check(
            "worker sign-in",
            &[("auth.sign_in", "worker", "account", Some(WILL))],
        )
        .await?;
    let will_id = member_id(&app, &admin, WILL).await?;

    ok(
        send(
            &app,
            Method::PATCH,
            &format!("/api/v1/members/{will_id}"),
            Some(&admin.access_token),
            Some(json!({"role": "supervisor"})),
        )
        .await?,
        "role",
    )
    .await?;
    watch
        .check(
            "role change",
            &[("member.role_changed", "org_admin", "account", Some(WILL))],
        )
        .await?;
    // Asking for what already stands changes nothing, succeeds, and records nothing.
    for body in [json!({"role": "supervisor"}), json!({})] {
        ok(
            send(
                &app,
                Method::PATCH,
                &format!("/api/v1/members/{will_id}"),
                Some(&admin.access_token),
                Some(body),
            )
            .await?,
            "unchanged role",
        )
        .await?;
    }
    watch.check("unchanged role", &[]).await?;

    ok(
        send(
            &app,
            Method::PATCH,
            "/api/v1/organisation",
            Some(&admin.access_token),
            Some(json!({"idle_timeout_minutes": 20})),
        )
        .await?,
        "policy",
    )
    .await?;
    watch
        .check(
            "policy change",
            &[(
                "organisation.policy_changed",
                "org_admin",
                "organisation",
                None,
            )],
        )
        .await?;
    for body in [json!({"idle_timeout_minutes": 20}), json!({})] {
        ok(
            send(
                &app,
                Method::PATCH,
                "/api/v1/organisation",
                Some(&admin.access_token),
                Some(body),
            )
            .await?,
            "unchanged policy",
        )
        .await?;
    }
    watch.check("unchanged policy", &[]).await?;

    // Two-step verification: enrol, new recovery codes, turn off; an admin's reset of a member's.
    enrol(&app, &admin, &ada.password).await?;
    watch
        .check(
            "enrolment",
            &[("auth.mfa_enrolled", "org_admin", "account", Some(ADA))],
        )
        .await?;
    ok(
        send(
            &app,
            Method::POST,
            "/api/v1/me/mfa/recovery-codes",
            Some(&admin.access_token),
            Some(json!({"current_password": ada.password})),
        )
        .await?,
        "codes",
    )
    .await?;
    watch
        .check(
            "new recovery codes",
            &[(
                "auth.mfa_recovery_codes_renewed",
                "org_admin",
                "account",
                Some(ADA),
            )],
        )
        .await?;
    ok(
        send(
            &app,
            Method::POST,
            "/api/v1/me/mfa/disable",
            Some(&admin.access_token),
            Some(json!({"current_password": ada.password})),
        )
        .await?,
        "disable",
    )
    .await?;
    watch
        .check(
            "turning it off",
            &[("auth.mfa_disabled", "org_admin", "account", Some(ADA))],
        )
        .await?;
    enrol(&app, &worker, &will.password).await?;
    watch
        .check(
            "member enrols (in the role their session began with)",
            &[("auth.mfa_enrolled", "worker", "account", Some(WILL))],
        )
        .await?;
    ok(
        send(
            &app,
            Method::POST,
            &format!("/api/v1/members/{will_id}/reset-mfa"),
            Some(&admin.access_token),
            None,
        )
        .await?,
        "reset mfa",
    )
    .await?;
    watch
        .check(
            "admin resets two-step verification",
            &[("auth.mfa_reset", "org_admin", "account", Some(WILL))],
        )
        .await?;

    // Password change (other sessions end), forgotten password and its reset.
    let worker = sign_in(&app, &will).await?;
    watch.new_events().await?;
    ok(send(&app, Method::POST, "/api/v1/me/password", Some(&worker.access_token), Some(json!({"current_password": PASSWORD, "new_password": "a second passphrase for the gate"}))).await?, "password").await?;
    watch
        .check(
            "password change",
            &[("auth.password_changed", "supervisor", "account", Some(WILL))],
        )
        .await?;
    ok(
        send(
            &app,
            Method::POST,
            "/api/v1/auth/forgot-password",
            None,
            Some(json!({"organisation": "acme", "email": WILL})),
        )
        .await?,
        "forgot",
    )
    .await?;
    app.await_event("auth.password_reset_requested").await?;
    watch
        .check(
            "forgotten password",
            &[(
                "auth.password_reset_requested",
                "anonymous",
                "account",
                Some(WILL),
            )],
        )
        .await?;
    let (_, mail) = app.last_mail(WILL).await?;
    ok(send(&app, Method::POST, "/api/v1/auth/reset-password", None, Some(json!({"token": link_token(&mail), "new_password": "a third passphrase for the crane"}))).await?, "reset").await?;
    watch
        .check(
            "password reset",
            &[("auth.password_reset", "supervisor", "account", Some(WILL))],
        )
        .await?;
    let will = Creds {
        password: "a third passphrase for the crane".into(),
        ..will
    };

    // Five failures lock the account; an admin unlocks it.
    let wrong_will =
        json!({"organisation": "acme", "email": WILL, "password": "wrong again and again"});
    for attempt in 1..=5 {
        app.clock.advance(time::Duration::seconds(30));
        send(
            &app,
            Method::POST,
            "/api/v1/auth/sign-in",
            None,
            Some(wrong_will.clone()),
        )
        .await?;
        let mut expected = vec![("auth.sign_in_failed", "anonymous", "account", Some(WILL))];
        if attempt == 5 {
            expected.push(("auth.account_locked", "system", "account", Some(WILL)));
        }
        watch
            .check(&format!("failure {attempt}"), &expected)
            .await?;
    }
    ok(
        send(
            &app,
            Method::POST,
            &format!("/api/v1/members/{will_id}/unlock"),
            Some(&admin.access_token),
            None,
        )
        .await?,
        "unlock",
    )
    .await?;
    watch
        .check(
            "unlock",
            &[("auth.account_unlocked", "org_admin", "account", Some(WILL))],
        )
        .await?;

    // Sessions: revoking one, a stolen refresh token used twice, signing out.
    let worker = sign_in(&app, &will).await?;
    let _other = sign_in(&app, &will).await?;
    watch.new_events().await?;
    let sessions = app
        .authed(
            Method::GET,
            "/api/v1/me/sessions",
            &worker.access_token,
            None,
        )
        .await?
        .json();
    let other_id = sessions
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["current"] != true)
        .and_then(|s| s["session_id"].as_str())
        .unwrap_or_default()
        .to_owned();
    ok(
        send(
            &app,
            Method::DELETE,
            &format!("/api/v1/me/sessions/{other_id}"),
            Some(&worker.access_token),
            None,
        )
        .await?,
        "revoke",
    )
    .await?;
    watch
        .check(
            "session revoked",
            &[("auth.session_revoked", "supervisor", "session", Some(WILL))],
        )
        .await?;
    let rotated = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            &[AGENT, ("cookie", &worker.cookie), ("origin", PUBLIC_URL)],
        )
        .await?;
    assert_eq!(rotated.status, StatusCode::OK);
    watch.check("a refresh is routine", &[]).await?;
    let replayed = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            &[AGENT, ("cookie", &worker.cookie), ("origin", PUBLIC_URL)],
        )
        .await?;
    assert_eq!(replayed.status, StatusCode::UNAUTHORIZED);
    watch
        .check(
            "refresh token reused",
            &[(
                "auth.refresh_token_reused",
                "anonymous",
                "session",
                Some(WILL),
            )],
        )
        .await?;
    let worker = sign_in(&app, &will).await?;
    watch.new_events().await?;
    let r = app
        .call(
            Method::POST,
            "/api/v1/auth/sign-out",
            None,
            &[AGENT, ("cookie", &worker.cookie), ("origin", PUBLIC_URL)],
        )
        .await?;
    assert!(r.status.is_success(), "{}", r.status);
    watch
        .check(
            "sign-out",
            &[("auth.sign_out", "supervisor", "session", Some(WILL))],
        )
        .await?;

    // A change of email address: requested, then confirmed from the new address.
    let worker = sign_in(&app, &will).await?;
    watch.new_events().await?;
    ok(
        send(
            &app,
            Method::POST,
            "/api/v1/me/email",
            Some(&worker.access_token),
            Some(json!({"current_password": will.password, "new_email": "william@acme.example"})),
        )
        .await?,
        "email",
    )
    .await?;
    watch
        .check(
            "email change requested",
            &[(
                "auth.email_change_requested",
                "supervisor",
                "account",
                Some(WILL),
            )],
        )
        .await?;
    let (_, mail) = app.last_mail("william@acme.example").await?;
    ok(
        send(
            &app,
            Method::POST,
            "/api/v1/auth/confirm-email-change",
            None,
            Some(json!({"token": link_token(&mail)})),
        )
        .await?,
        "confirm",
    )
    .await?;
    watch
        .check(
            "email changed",
            &[(
                "auth.email_changed",
                "supervisor",
                "account",
                Some("william@acme.example"),
            )],
        )
        .await?;

    // Suspension, an export of the ledger, an erasure.
    ok(
        send(
            &app,
            Method::PATCH,
            &format!("/api/v1/members/{will_id}"),
            Some(&admin.access_token),
            Some(json!({"status": "suspended"})),
        )
        .await?,
        "suspend",
    )
    .await?;
    watch
        .check(
            "suspension",
            &[(
                "member.status_changed",
                "org_admin",
                "account",
                Some("william@acme.example"),
            )],
        )
        .await?;
    ok(
        send(
            &app,
            Method::GET,
            "/api/v1/audit/export",
            Some(&admin.access_token),
            None,
        )
        .await?,
        "export",
    )
    .await?;
    watch
        .check(
            "export",
            &[("audit.exported", "org_admin", "audit_log", None)],
        )
        .await?;
    ok(
        send(
            &app,
            Method::POST,
            "/api/v1/audit/erasures",
            Some(&admin.access_token),
            Some(json!({"user_id": will_id})),
        )
        .await?,
        "erasure",
    )
    .await?;
    watch
        .check(
            "erasure",
            &[(
                "audit.personal_erased",
                "org_admin",
                "account",
                Some("william@acme.example"),
            )],
        )
        .await?;
    Ok(())
}
