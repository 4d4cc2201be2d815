//! Sign-up with email verification, and sign-in: identical refusals, progressive delay and lock,
//! admin unlock, bcrypt upgrade, bad input.

use crate::accounts::{Creds, PASSWORD, link_token};
use crate::support::{TestApp, new_org};
use http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_new_admin_must_verify_their_email_before_signing_in() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    app.post_json("/api/v1/organisations", &new_org("acme", "na"))
        .await?;
    let creds = Creds {
        organisation: "acme".into(),
        email: "ada@acme.example".into(),
        password: "correct horse battery staple".into(),
    };
    let r = app.sign_in(&creds).await?;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::FORBIDDEN, "email_not_verified")
    );

    let (subject, body) = app.last_mail("ada@acme.example").await?;
    assert!(subject.contains("Confirm your email address"), "{subject}");
    assert!(
        body.contains("https://attest.test/verify-email#token="),
        "{body}"
    );
    let r = app
        .post_json(
            "/api/v1/auth/verify-email",
            &json!({ "token": link_token(&body) }),
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["organisation"], "acme");

    let r = app.sign_in(&creds).await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["status"], "signed_in");
    assert_eq!(r.json()["user"]["role"], "org_admin");
    assert_eq!(
        app.audit_actions("ada@acme.example").await?,
        [
            "organisation.created",
            "auth.email_verified",
            "auth.sign_in"
        ]
    );
    Ok(())
}

#[tokio::test]
async fn a_verification_link_works_once_and_only_for_verification() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    app.post_json("/api/v1/organisations", &new_org("acme", "na"))
        .await?;
    let (_, body) = app.last_mail("ada@acme.example").await?;
    let token = link_token(&body);
    assert_eq!(
        app.post_json(
            "/api/v1/auth/reset-password",
            &json!({"token": token, "new_password": "another long passphrase here"})
        )
        .await?
        .error_code(),
        "invalid_link"
    );
    assert_eq!(
        app.post_json("/api/v1/auth/verify-email", &json!({ "token": token }))
            .await?
            .status,
        StatusCode::OK
    );
    let again = app
        .post_json("/api/v1/auth/verify-email", &json!({ "token": token }))
        .await?;
    assert_eq!(
        (again.status, again.error_code().as_str()),
        (StatusCode::BAD_REQUEST, "invalid_link")
    );
    let forged = app
        .post_json(
            "/api/v1/auth/verify-email",
            &json!({ "token": format!("{token}x") }),
        )
        .await?;
    assert_eq!(forged.error_code(), "invalid_link");
    Ok(())
}

#[tokio::test]
async fn wrong_password_unknown_account_unknown_organisation_and_lock_get_the_same_answer()
-> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let wrong = Creds {
        password: "not the password at all".into(),
        ..creds.clone()
    };
    let unknown_user = Creds {
        email: "nobody@acme.example".into(),
        ..creds.clone()
    };
    let unknown_org = Creds {
        organisation: "nowhere".into(),
        ..creds.clone()
    };
    let mut answers = Vec::new();
    for attempt in [&wrong, &unknown_user, &unknown_org] {
        let r = app.sign_in(attempt).await?;
        answers.push((
            r.status,
            r.json()["code"].clone(),
            r.json()["message"].clone(),
        ));
    }
    // Lock the account, then try the right password.
    for _ in 0..5 {
        app.clock.advance(time::Duration::seconds(30));
        app.sign_in(&wrong).await?;
    }
    let r = app.sign_in(&creds).await?;
    answers.push((
        r.status,
        r.json()["code"].clone(),
        r.json()["message"].clone(),
    ));
    assert_eq!(answers[0].0, StatusCode::UNAUTHORIZED);
    assert_eq!(answers[0].1, "invalid_credentials");
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    Ok(())
}

#[tokio::test]
async fn failures_delay_then_lock_the_account_and_an_admin_unlocks_it() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let admin_creds = app.verified_org("acme", "na").await?;
    let admin = app.session(&admin_creds).await?;
    let worker = app
        .invited(&admin, "acme", "will@acme.example", "worker")
        .await?;
    let wrong = Creds {
        password: "not the password at all".into(),
        ..worker.clone()
    };

    // One failure delays the next attempt by a second, even with the right password.
    app.sign_in(&wrong).await?;
    assert_eq!(
        app.sign_in(&worker).await?.status,
        StatusCode::UNAUTHORIZED,
        "within the delay"
    );
    app.clock.advance(time::Duration::seconds(2));
    assert_eq!(
        app.sign_in(&worker).await?.status,
        StatusCode::OK,
        "after the delay"
    );

    // Five failures lock it for 15 minutes, and the owner is told.
    for _ in 0..5 {
        app.clock.advance(time::Duration::seconds(20));
        app.sign_in(&wrong).await?;
    }
    app.clock.advance(time::Duration::minutes(10));
    assert_eq!(
        app.sign_in(&worker).await?.status,
        StatusCode::UNAUTHORIZED,
        "locked"
    );
    assert!(
        app.mail_kinds("will@acme.example")
            .await?
            .contains(&"account_locked".to_owned())
    );
    // The admin's access token has expired meanwhile: renew it with the refresh cookie.
    let renewed = app
        .with_cookie("/api/v1/auth/refresh", &admin.cookie)
        .await?
        .json();
    let admin = crate::accounts::Session {
        access_token: renewed["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        cookie: admin.cookie.clone(),
    };
    let members = app
        .authed(Method::GET, "/api/v1/members", &admin.access_token, None)
        .await?
        .json();
    let will = members
        .as_array()
        .and_then(|m| m.iter().find(|m| m["email"] == "will@acme.example"))
        .cloned()
        .unwrap_or_default();
    assert!(
        will["locked_until"].is_string(),
        "the admin sees the lock: {will}"
    );

    let id = will["user_id"].as_str().unwrap_or_default().to_owned();
    let r = app
        .authed(
            Method::POST,
            &format!("/api/v1/members/{id}/unlock"),
            &admin.access_token,
            None,
        )
        .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.sign_in(&worker).await?.status,
        StatusCode::OK,
        "unlocked"
    );
    let actions = app.audit_actions("will@acme.example").await?;
    for expected in [
        "auth.sign_in_failed",
        "auth.account_locked",
        "auth.account_unlocked",
        "auth.sign_in",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} missing from {actions:?}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn the_lock_ends_by_itself_after_fifteen_minutes() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let wrong = Creds {
        password: "not the password at all".into(),
        ..creds.clone()
    };
    for _ in 0..5 {
        app.clock.advance(time::Duration::seconds(20));
        app.sign_in(&wrong).await?;
    }
    app.clock.advance(time::Duration::minutes(14));
    assert_eq!(app.sign_in(&creds).await?.status, StatusCode::UNAUTHORIZED);
    app.clock.advance(time::Duration::minutes(2));
    assert_eq!(app.sign_in(&creds).await?.status, StatusCode::OK);
    Ok(())
}

#[tokio::test]
async fn an_imported_bcrypt_hash_signs_in_and_is_upgraded_to_argon2id() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let imported = bcrypt::hash("an imported legacy password", 4)?;
    sqlx::query("update attest.password_credentials set password_hash = $1")
        .bind(&imported)
        .execute(&app.db.na.superuser)
        .await?;
    let legacy = Creds {
        password: "an imported legacy password".into(),
        ..creds
    };
    assert_eq!(app.sign_in(&legacy).await?.status, StatusCode::OK);
    let stored: String =
        sqlx::query_scalar("select password_hash from attest.password_credentials")
            .fetch_one(&app.db.na.superuser)
            .await?;
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    app.clock.advance(time::Duration::seconds(5));
    assert_eq!(
        app.sign_in(&legacy).await?.status,
        StatusCode::OK,
        "still the same password"
    );
    Ok(())
}

#[tokio::test]
async fn common_or_guessable_passwords_are_refused_at_sign_up() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    for password in ["password1234", "123456789012", "acmeacmeacme"] {
        let mut body = new_org("acme", "na");
        body["admin"]["password"] = json!(password);
        let r = app.post_json("/api/v1/organisations", &body).await?;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{password}");
        assert!(
            r.json()["fields"]["admin.password"]
                .as_str()
                .is_some_and(|m| m.contains("too easy to guess")),
            "{}",
            r.json()
        );
    }
    Ok(())
}

#[tokio::test]
async fn bad_sign_in_input_gets_a_clear_4xx() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let cases = [
        (
            json!({"organisation": "acme", "email": "not-an-email", "password": "x"}),
            "validation_failed",
            "email",
        ),
        (
            json!({"organisation": "Acme Inc", "email": "a@acme.example", "password": "x"}),
            "validation_failed",
            "organisation",
        ),
        (
            json!({"organisation": "acme", "email": "a@acme.example", "password": ""}),
            "validation_failed",
            "password",
        ),
        (
            json!({"organisation": "acme", "email": "a@acme.example", "password": "x".repeat(2000)}),
            "validation_failed",
            "password",
        ),
        (
            json!({"organisation": "acme", "email": format!("{}@acme.example", "a".repeat(300)), "password": "x"}),
            "validation_failed",
            "email",
        ),
    ];
    for (body, code, field) in cases {
        let r = app.post_json("/api/v1/auth/sign-in", &body).await?;
        assert_eq!(
            (r.status, r.error_code().as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, code),
            "{body}"
        );
        assert!(
            r.json()["fields"][field].is_string(),
            "{field}: {}",
            r.json()
        );
    }
    let r = app
        .post_json(
            "/api/v1/auth/sign-in",
            &json!({"organisation": 7, "email": [], "password": null}),
        )
        .await?;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body")
    );
    let _ = PASSWORD;
    Ok(())
}

/// Addresses are compared by every letter's case, not only ASCII's: `Élodie` is `élodie`.
#[tokio::test]
async fn an_address_matches_whatever_the_case_of_its_accented_letters() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let admin = app.verified_org("acme", "na").await?;
    let session = app.session(&admin).await?;
    let elodie = app
        .invited(&session, "acme", "Élodie.Ébert@acme.example", "worker")
        .await?;
    let r = app
        .post_json(
            "/api/v1/auth/sign-in",
            &json!({"organisation": "acme", "email": "élodie.ébert@ACME.example", "password": elodie.password}),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let again = app
        .authed(
            Method::POST,
            "/api/v1/members",
            &session.access_token,
            Some(json!({"email": "ÉLODIE.ÉBERT@acme.example", "name": "Élodie Twice", "role": "worker"})),
        )
        .await?;
    assert_eq!(
        (again.status, again.error_code().as_str()),
        (StatusCode::CONFLICT, "email_taken")
    );
    Ok(())
}
