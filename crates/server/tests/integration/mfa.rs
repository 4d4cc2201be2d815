//! TOTP with an independent client (`oathtool`), replay refusal, recovery codes, and the
//! organisation policy that forces enrolment.

use crate::accounts::{Creds, Session, refresh_cookie};
use crate::support::TestApp;
use http::{Method, StatusCode};
use serde_json::{Value, json};
use std::process::Command;
use time::format_description::well_known::Rfc3339;

/// The code an independent TOTP client (oathtool, from Debian's `oathtool` package) computes for
/// `secret` (base32) at the application's clock.
pub(crate) fn oathtool(app: &TestApp, secret: &str) -> String {
    let now = app.clock_now().format(&Rfc3339).expect("time");
    let output = Command::new("oathtool")
        .args(["--totp", "--base32", "--now", &now, secret])
        .output()
        .unwrap_or_else(|e| {
            panic!("oathtool is needed for this test (apt-get install oathtool): {e}")
        });
    assert!(
        output.status.success(),
        "oathtool failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// Enrols TOTP for a signed-in person; returns (secret, recovery codes).
async fn enrol(
    app: &TestApp,
    session: &Session,
    password: &str,
) -> anyhow::Result<(String, Vec<String>)> {
    let r = app
        .authed(
            Method::POST,
            "/api/v1/me/mfa/totp",
            &session.access_token,
            Some(json!({"current_password": password})),
        )
        .await?;
    anyhow::ensure!(
        r.status == StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let enrolment = r.json();
    let secret = enrolment["secret"].as_str().unwrap_or_default().to_owned();
    assert!(
        enrolment["otpauth_uri"]
            .as_str()
            .is_some_and(|u| u.starts_with("otpauth://totp/Attest:"))
    );
    assert!(
        enrolment["qr_code"]
            .as_str()
            .is_some_and(|q| q.starts_with("data:image/svg+xml;base64,"))
    );
    let code = oathtool(app, &secret);
    let r = app
        .authed(
            Method::POST,
            "/api/v1/me/mfa/totp/confirm",
            &session.access_token,
            Some(json!({"code": code})),
        )
        .await?;
    anyhow::ensure!(
        r.status == StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let codes: Vec<String> = serde_json::from_value(r.json()["recovery_codes"].clone())?;
    Ok((secret, codes))
}

async fn mfa_step(app: &TestApp, creds: &Creds) -> anyhow::Result<Value> {
    let r = app.sign_in(creds).await?;
    anyhow::ensure!(
        r.status == StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    Ok(r.json())
}

#[tokio::test]
async fn enrolment_with_an_independent_client_then_sign_in_with_a_code_that_works_once()
-> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let session = app.session(&creds).await?;
    let (secret, codes) = enrol(&app, &session, &creds.password).await?;
    assert_eq!(codes.len(), 10);

    app.clock.advance(time::Duration::seconds(30));
    let step = mfa_step(&app, &creds).await?;
    assert_eq!(step["status"], "mfa_required");
    assert!(
        step.get("access_token").is_none(),
        "no session before the second factor"
    );
    let token = step["mfa_token"].as_str().unwrap_or_default();

    let wrong = app
        .post_json(
            "/api/v1/auth/mfa",
            &json!({"mfa_token": token, "code": "000000"}),
        )
        .await?;
    assert_eq!(
        (wrong.status, wrong.error_code().as_str()),
        (StatusCode::UNAUTHORIZED, "invalid_code")
    );
    app.clock.advance(time::Duration::seconds(2));
    let code = oathtool(&app, &secret);
    let r = app
        .post_json(
            "/api/v1/auth/mfa",
            &json!({"mfa_token": token, "code": code}),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["status"], "signed_in");
    assert!(refresh_cookie(&r).is_some());

    // The same code again, within its window, in a fresh sign-in: refused.
    app.clock.advance(time::Duration::seconds(2));
    let again = mfa_step(&app, &creds).await?;
    let replay = app
        .post_json(
            "/api/v1/auth/mfa",
            &json!({"mfa_token": again["mfa_token"], "code": code}),
        )
        .await?;
    assert_eq!(
        (replay.status, replay.error_code().as_str()),
        (StatusCode::UNAUTHORIZED, "invalid_code")
    );
    Ok(())
}

#[tokio::test]
async fn a_recovery_code_signs_in_once() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let session = app.session(&creds).await?;
    let (_, codes) = enrol(&app, &session, &creds.password).await?;
    let step = mfa_step(&app, &creds).await?;
    let r = app
        .post_json(
            "/api/v1/auth/mfa",
            &json!({"mfa_token": step["mfa_token"], "recovery_code": codes[3].to_lowercase()}),
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK, "case and dashes do not matter");
    app.clock.advance(time::Duration::seconds(2));
    let step = mfa_step(&app, &creds).await?;
    let again = app
        .post_json(
            "/api/v1/auth/mfa",
            &json!({"mfa_token": step["mfa_token"], "recovery_code": codes[3]}),
        )
        .await?;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED, "used up");
    let actions = app.audit_actions(&creds.email).await?;
    assert!(
        actions.contains(&"auth.mfa_enrolled".to_owned())
            && actions.contains(&"auth.mfa_recovery_code_used".to_owned()),
        "{actions:?}"
    );
    Ok(())
}

#[tokio::test]
async fn an_mfa_token_expires_and_is_not_an_access_token() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let session = app.session(&creds).await?;
    let (secret, _) = enrol(&app, &session, &creds.password).await?;
    let step = mfa_step(&app, &creds).await?;
    let token = step["mfa_token"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        app.authed(Method::GET, "/api/v1/me", &token, None)
            .await?
            .error_code(),
        "invalid_token"
    );
    app.clock.advance(time::Duration::minutes(6));
    let late = app
        .post_json(
            "/api/v1/auth/mfa",
            &json!({"mfa_token": token, "code": oathtool(&app, &secret)}),
        )
        .await?;
    assert_eq!(late.error_code(), "mfa_token_invalid");
    Ok(())
}

#[tokio::test]
async fn an_organisation_requiring_mfa_makes_members_enrol_at_their_next_sign_in()
-> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let admin_creds = app.verified_org("acme", "na").await?;
    let admin = app.session(&admin_creds).await?;
    let worker = app
        .invited(&admin, "acme", "will@acme.example", "worker")
        .await?;
    let worker_session = app.session(&worker).await?;
    let r = app
        .authed(
            Method::PATCH,
            "/api/v1/organisation",
            &admin.access_token,
            Some(json!({"mfa_required": true})),
        )
        .await?;
    assert_eq!(r.json()["mfa_required"], true);

    // Existing sessions without a second factor end at their next refresh.
    assert_eq!(
        app.with_cookie("/api/v1/auth/refresh", &worker_session.cookie)
            .await?
            .status,
        StatusCode::UNAUTHORIZED
    );

    let step = mfa_step(&app, &worker).await?;
    assert_eq!(step["status"], "mfa_enrolment_required");
    let token = step["mfa_token"].clone();
    let enrolment = app
        .post_json("/api/v1/auth/mfa/enrolment", &json!({"mfa_token": token}))
        .await?
        .json();
    let secret = enrolment["secret"].as_str().unwrap_or_default().to_owned();
    let bad = app
        .post_json(
            "/api/v1/auth/mfa/enrolment/confirm",
            &json!({"mfa_token": token, "code": "123456"}),
        )
        .await?;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_json(
            "/api/v1/auth/mfa/enrolment/confirm",
            &json!({"mfa_token": token, "code": oathtool(&app, &secret)}),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["status"], "signed_in");
    assert_eq!(
        r.json()["recovery_codes"].as_array().map(Vec::len),
        Some(10)
    );

    // Turning it off is refused while the organisation requires it.
    let access = r.json()["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let off = app
        .authed(
            Method::POST,
            "/api/v1/me/mfa/disable",
            &access,
            Some(json!({"current_password": worker.password})),
        )
        .await?;
    assert_eq!(
        (off.status, off.error_code().as_str()),
        (StatusCode::CONFLICT, "mfa_required_by_organisation")
    );
    Ok(())
}

#[tokio::test]
async fn turning_mfa_off_needs_the_password_again() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let session = app.session(&creds).await?;
    enrol(&app, &session, &creds.password).await?;
    let wrong = app
        .authed(
            Method::POST,
            "/api/v1/me/mfa/disable",
            &session.access_token,
            Some(json!({"current_password": "not it at all"})),
        )
        .await?;
    assert_eq!(
        (wrong.status, wrong.error_code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    // A wrong password counts as a failed sign-in does: the next try waits a second.
    app.clock.advance(time::Duration::seconds(2));
    let ok = app
        .authed(
            Method::POST,
            "/api/v1/me/mfa/disable",
            &session.access_token,
            Some(json!({"current_password": creds.password})),
        )
        .await?;
    assert_eq!(ok.status, StatusCode::NO_CONTENT);
    assert_eq!(mfa_step(&app, &creds).await?["status"], "signed_in");
    assert!(
        app.mail_kinds(&creds.email)
            .await?
            .iter()
            .filter(|k| *k == "mfa_changed")
            .count()
            >= 2
    );
    Ok(())
}

#[tokio::test]
async fn the_totp_secret_is_stored_sealed() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let session = app.session(&creds).await?;
    let (secret, _) = enrol(&app, &session, &creds.password).await?;
    let sealed: Vec<u8> = sqlx::query_scalar("select secret_sealed from attest.mfa_totp")
        .fetch_one(&app.db.na.superuser)
        .await?;
    let raw = base32_decode(&secret);
    assert!(
        !sealed.windows(raw.len()).any(|w| w == raw.as_slice()),
        "the secret is not stored in the clear"
    );
    Ok(())
}

fn base32_decode(s: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u64;
    let mut count = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|c| *c != b'=') {
        let value = alphabet.iter().position(|a| *a == c).unwrap_or(0) as u64;
        bits = (bits << 5) | value;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

/// The session renewed by its refresh cookie (which rotates), if it still renews.
async fn renew(app: &TestApp, session: &Session) -> anyhow::Result<Option<Session>> {
    let r = app
        .with_cookie("/api/v1/auth/refresh", &session.cookie)
        .await?;
    if r.json()["status"] != "signed_in" {
        return Ok(None);
    }
    Ok(Some(Session {
        access_token: r.json()["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        cookie: refresh_cookie(&r).unwrap_or_default(),
    }))
}

#[tokio::test]
async fn turning_two_step_verification_on_or_off_ends_the_other_sessions() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let here = app.session(&creds).await?;
    let elsewhere = app.session(&creds).await?;
    let (secret, _) = enrol(&app, &here, &creds.password).await?;
    assert!(
        renew(&app, &elsewhere).await?.is_none(),
        "the other session ended"
    );
    let here = renew(&app, &here).await?;
    assert!(here.is_some(), "this session goes on");
    assert!(
        app.audit_actions(&creds.email)
            .await?
            .contains(&"auth.mfa_enrolled".to_owned())
    );

    // A new session signed in with the second factor; turning it off there ends the others.
    app.clock.advance(time::Duration::seconds(30));
    let step = mfa_step(&app, &creds).await?;
    let r = app
        .post_json(
            "/api/v1/auth/mfa",
            &json!({"mfa_token": step["mfa_token"], "code": oathtool(&app, &secret)}),
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK);
    let third = Session {
        access_token: r.json()["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        cookie: refresh_cookie(&r).unwrap_or_default(),
    };
    let off = app
        .authed(
            Method::POST,
            "/api/v1/me/mfa/disable",
            &third.access_token,
            Some(json!({"current_password": creds.password})),
        )
        .await?;
    assert_eq!(off.status, StatusCode::NO_CONTENT);
    assert!(
        renew(&app, &third).await?.is_some(),
        "the session that turned it off goes on"
    );
    let Some(here) = here else {
        anyhow::bail!("renewed above");
    };
    let me = app
        .authed(Method::GET, "/api/v1/me", &here.access_token, None)
        .await?;
    assert_eq!(
        me.status,
        StatusCode::UNAUTHORIZED,
        "the other session ended at once"
    );
    Ok(())
}
