//! Changing a password (needs the current one, notifies) and resetting a forgotten one (single-use
//! link, ends every session).

use crate::accounts::{Creds, link_token};
use crate::support::TestApp;
use http::{Method, StatusCode};
use serde_json::json;

const NEW: &str = "a brand new passphrase for winter";

#[tokio::test]
async fn changing_the_password_needs_the_current_one_notifies_and_signs_out_other_sessions()
-> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let here = app.session(&creds).await?;
    let elsewhere = app.session(&creds).await?;
    let wrong = app
        .authed(
            Method::POST,
            "/api/v1/me/password",
            &here.access_token,
            Some(json!({"current_password": "nope nope nope", "new_password": NEW})),
        )
        .await?;
    assert_eq!(
        wrong.json()["fields"]["current_password"],
        "is not your current password"
    );
    let weak = app
        .authed(
            Method::POST,
            "/api/v1/me/password",
            &here.access_token,
            Some(json!({"current_password": creds.password, "new_password": "password1234"})),
        )
        .await?;
    assert!(weak.json()["fields"]["new_password"].is_string());
    // The wrong password delays the next check by a second, as a failed sign-in does.
    let early = app
        .authed(
            Method::POST,
            "/api/v1/me/password",
            &here.access_token,
            Some(json!({"current_password": creds.password, "new_password": NEW})),
        )
        .await?;
    assert_eq!(early.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(early.headers.contains_key(http::header::RETRY_AFTER));
    app.clock.advance(time::Duration::seconds(2));

    let ok = app
        .authed(
            Method::POST,
            "/api/v1/me/password",
            &here.access_token,
            Some(json!({"current_password": creds.password, "new_password": NEW})),
        )
        .await?;
    assert_eq!(ok.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.authed(Method::GET, "/api/v1/me", &here.access_token, None)
            .await?
            .status,
        StatusCode::OK,
        "this session goes on"
    );
    assert_eq!(
        app.authed(Method::GET, "/api/v1/me", &elsewhere.access_token, None)
            .await?
            .status,
        StatusCode::UNAUTHORIZED,
        "others end"
    );
    assert_eq!(
        app.last_mail(&creds.email).await?.0,
        "Your Attest password was changed"
    );
    assert_eq!(app.sign_in(&creds).await?.status, StatusCode::UNAUTHORIZED);
    app.clock.advance(time::Duration::seconds(5));
    assert_eq!(
        app.sign_in(&Creds {
            password: NEW.into(),
            ..creds.clone()
        })
        .await?
        .status,
        StatusCode::OK
    );
    assert!(
        app.audit_actions(&creds.email)
            .await?
            .contains(&"auth.password_changed".to_owned())
    );
    Ok(())
}

#[tokio::test]
async fn a_forgotten_password_is_reset_once_by_link_and_every_session_ends() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let session = app.session(&creds).await?;
    let unknown = app
        .post_json(
            "/api/v1/auth/forgot-password",
            &json!({"organisation": "acme", "email": "nobody@acme.example"}),
        )
        .await?;
    let known = app
        .post_json(
            "/api/v1/auth/forgot-password",
            &json!({"organisation": "acme", "email": creds.email}),
        )
        .await?;
    assert_eq!(
        (unknown.status, unknown.json()),
        (known.status, known.json()),
        "the same answer either way"
    );
    assert_eq!(known.status, StatusCode::ACCEPTED);
    // Queued after the answer (so its timing says nothing): the second mail to this address.
    let (subject, body) = app.nth_mail(&creds.email, 2).await?;
    assert_eq!(subject, "Reset your Attest password");
    let token = link_token(&body);

    let weak = app
        .post_json(
            "/api/v1/auth/reset-password",
            &json!({"token": token, "new_password": "123456789012"}),
        )
        .await?;
    assert_eq!(
        weak.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a refused password does not use up the link"
    );
    let ok = app
        .post_json(
            "/api/v1/auth/reset-password",
            &json!({"token": token, "new_password": NEW}),
        )
        .await?;
    assert_eq!(
        ok.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&ok.body)
    );
    assert_eq!(
        app.with_cookie("/api/v1/auth/refresh", &session.cookie)
            .await?
            .status,
        StatusCode::UNAUTHORIZED,
        "sessions revoked"
    );
    let again = app
        .post_json(
            "/api/v1/auth/reset-password",
            &json!({"token": token, "new_password": "yet another long passphrase"}),
        )
        .await?;
    assert_eq!(again.error_code(), "invalid_link");
    assert_eq!(
        app.sign_in(&Creds {
            password: NEW.into(),
            ..creds.clone()
        })
        .await?
        .status,
        StatusCode::OK
    );
    let actions = app.audit_actions(&creds.email).await?;
    assert!(
        actions.contains(&"auth.password_reset_requested".to_owned())
            && actions.contains(&"auth.password_reset".to_owned())
    );
    Ok(())
}

#[tokio::test]
async fn a_reset_link_expires_after_an_hour_and_a_newer_one_replaces_it() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let ask = json!({"organisation": "acme", "email": creds.email});
    app.post_json("/api/v1/auth/forgot-password", &ask).await?;
    let first = link_token(&app.nth_mail(&creds.email, 2).await?.1);
    app.post_json("/api/v1/auth/forgot-password", &ask).await?;
    let second = link_token(&app.nth_mail(&creds.email, 3).await?.1);
    assert_eq!(
        app.post_json(
            "/api/v1/auth/reset-password",
            &json!({"token": first, "new_password": NEW})
        )
        .await?
        .error_code(),
        "invalid_link"
    );
    app.clock.advance(time::Duration::minutes(61));
    assert_eq!(
        app.post_json(
            "/api/v1/auth/reset-password",
            &json!({"token": second, "new_password": NEW})
        )
        .await?
        .error_code(),
        "invalid_link"
    );
    Ok(())
}

#[tokio::test]
async fn an_email_change_needs_the_password_and_the_new_address_to_confirm() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let session = app.session(&creds).await?;
    let wrong = app
        .authed(
            Method::POST,
            "/api/v1/me/email",
            &session.access_token,
            Some(json!({"current_password": "wrong wrong wrong", "new_email": "ada@new.example"})),
        )
        .await?;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.clock.advance(time::Duration::seconds(2));
    let r = app
        .authed(
            Method::POST,
            "/api/v1/me/email",
            &session.access_token,
            Some(json!({"current_password": creds.password, "new_email": "ada@new.example"})),
        )
        .await?;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    assert_eq!(
        app.last_mail(&creds.email).await?.0,
        "Your Attest email address is being changed"
    );
    let token = link_token(&app.last_mail("ada@new.example").await?.1);
    let done = app
        .post_json(
            "/api/v1/auth/confirm-email-change",
            &json!({"token": token}),
        )
        .await?;
    assert_eq!(done.json()["email"], "ada@new.example");
    assert_eq!(
        app.authed(Method::GET, "/api/v1/me", &session.access_token, None)
            .await?
            .json()["email"],
        "ada@new.example"
    );
    Ok(())
}
