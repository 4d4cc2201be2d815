//! Sessions: the refresh cookie's flags, rotation and reuse detection, idle timeout, absolute
//! lifetime, the same-origin check, access tokens, sign-out and revocation.

use crate::accounts::refresh_cookie;
use crate::support::{PUBLIC_URL, TestApp};
use attest_crypto::{Audience, TokenKeys};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn the_refresh_cookie_is_host_only_http_only_secure_and_strict() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let r = app.sign_in(&creds).await?;
    let set_cookie = r
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        set_cookie.starts_with("__Host-attest_refresh="),
        "{set_cookie}"
    );
    for flag in [
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
        "Path=/",
        "Max-Age=43200",
    ] {
        assert!(set_cookie.contains(flag), "{flag} missing: {set_cookie}");
    }
    assert!(!set_cookie.contains("Domain"));
    assert!(
        !r.body.windows(22).any(|w| w == b"__Host-attest_refresh="),
        "the refresh token is never in the body"
    );
    let token = r.json()["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        r.json()["expires_in"],
        300,
        "access tokens live five minutes"
    );
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("select token_hash from attest.refresh_tokens")
        .fetch_all(&app.db.na.superuser)
        .await?;
    let secret = set_cookie
        .split(';')
        .next()
        .and_then(|c| c.rsplit('.').next())
        .unwrap_or_default();
    let raw = URL_SAFE_NO_PAD.decode(secret)?;
    assert_eq!(raw.len(), 32, "256-bit refresh token");
    assert!(stored.iter().all(|h| h != &raw), "only a hash is stored");
    assert_eq!(
        app.authed(Method::GET, "/api/v1/me", &token, None)
            .await?
            .status,
        StatusCode::OK
    );
    Ok(())
}

#[tokio::test]
async fn every_refresh_rotates_and_reusing_the_previous_token_ends_the_session()
-> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let session = app.session(&app.verified_org("acme", "na").await?).await?;
    let first = session.cookie.clone();
    let r = app.with_cookie("/api/v1/auth/refresh", &first).await?;
    assert_eq!(r.status, StatusCode::OK);
    let second = refresh_cookie(&r).expect("rotated");
    assert_ne!(second, first);
    let r = app.with_cookie("/api/v1/auth/refresh", &second).await?;
    let third = refresh_cookie(&r).expect("rotated");

    // The previous token comes back: the whole family is revoked, the newest token included.
    let reused = app.with_cookie("/api/v1/auth/refresh", &second).await?;
    assert_eq!(
        (reused.status, reused.error_code().as_str()),
        (StatusCode::UNAUTHORIZED, "session_ended")
    );
    assert!(
        reused.header("set-cookie").contains("Max-Age=0"),
        "the cookie is cleared"
    );
    assert_eq!(
        app.with_cookie("/api/v1/auth/refresh", &third)
            .await?
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.authed(Method::GET, "/api/v1/me", &session.access_token, None)
            .await?
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        app.audit_actions("admin@acme.example")
            .await?
            .contains(&"auth.refresh_token_reused".to_owned())
    );
    Ok(())
}

#[tokio::test]
async fn reusing_a_token_two_generations_old_also_ends_the_session() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let session = app.session(&app.verified_org("acme", "na").await?).await?;
    let first = session.cookie.clone();
    let second =
        refresh_cookie(&app.with_cookie("/api/v1/auth/refresh", &first).await?).expect("rotated");
    let third =
        refresh_cookie(&app.with_cookie("/api/v1/auth/refresh", &second).await?).expect("rotated");
    assert_eq!(
        app.with_cookie("/api/v1/auth/refresh", &first)
            .await?
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.with_cookie("/api/v1/auth/refresh", &third)
            .await?
            .status,
        StatusCode::UNAUTHORIZED,
        "family revoked"
    );
    Ok(())
}

#[tokio::test]
async fn an_idle_session_ends_at_the_organisations_timeout() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let session = app.session(&app.verified_org("acme", "na").await?).await?;
    app.clock.advance(time::Duration::minutes(29));
    let r = app
        .with_cookie("/api/v1/auth/refresh", &session.cookie)
        .await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "29 minutes idle is within the default 30"
    );
    let cookie = refresh_cookie(&r).expect("rotated");
    app.clock.advance(time::Duration::minutes(31));
    let r = app.with_cookie("/api/v1/auth/refresh", &cookie).await?;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::UNAUTHORIZED, "session_ended")
    );
    assert!(
        app.audit_actions("admin@acme.example")
            .await?
            .contains(&"auth.session_ended".to_owned())
    );
    Ok(())
}

#[tokio::test]
async fn the_idle_timeout_follows_the_organisations_policy() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let session = app.session(&app.verified_org("acme", "na").await?).await?;
    let r = app
        .authed(
            Method::PATCH,
            "/api/v1/organisation",
            &session.access_token,
            Some(json!({"idle_timeout_minutes": 90})),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["idle_timeout_minutes"], 90);
    app.clock.advance(time::Duration::minutes(80));
    assert_eq!(
        app.with_cookie("/api/v1/auth/refresh", &session.cookie)
            .await?
            .status,
        StatusCode::OK
    );
    let bad = app
        .authed(
            Method::PATCH,
            "/api/v1/organisation",
            &session.access_token,
            Some(json!({"idle_timeout_minutes": 1})),
        )
        .await?;
    assert_eq!(
        bad.status,
        StatusCode::UNAUTHORIZED,
        "the old access token expired meanwhile"
    );
    Ok(())
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_however_active() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let mut cookie = app
        .session(&app.verified_org("acme", "na").await?)
        .await?
        .cookie;
    let mut ended = None;
    for step in 1..=40 {
        app.clock.advance(time::Duration::minutes(20));
        let r = app.with_cookie("/api/v1/auth/refresh", &cookie).await?;
        if r.status != StatusCode::OK {
            ended = Some(step * 20);
            break;
        }
        cookie = refresh_cookie(&r).expect("rotated");
    }
    assert_eq!(
        ended,
        Some(720),
        "active every 20 minutes, the session still ends at 12 hours"
    );
    Ok(())
}

#[tokio::test]
async fn the_cookie_endpoints_refuse_other_origins() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let session = app.session(&app.verified_org("acme", "na").await?).await?;
    for headers in [
        vec![
            ("cookie", session.cookie.as_str()),
            ("origin", "https://evil.example"),
        ],
        vec![
            ("cookie", session.cookie.as_str()),
            ("sec-fetch-site", "cross-site"),
        ],
        vec![("cookie", session.cookie.as_str())],
    ] {
        let r = app
            .call(Method::POST, "/api/v1/auth/refresh", None, &headers)
            .await?;
        assert_eq!(
            (r.status, r.error_code().as_str()),
            (StatusCode::FORBIDDEN, "cross_origin"),
            "{headers:?}"
        );
    }
    let same_site = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            &[
                ("cookie", session.cookie.as_str()),
                ("sec-fetch-site", "same-origin"),
            ],
        )
        .await?;
    assert_eq!(same_site.status, StatusCode::OK);
    let _ = PUBLIC_URL;
    Ok(())
}

#[tokio::test]
async fn access_tokens_with_alg_none_another_key_or_past_expiry_are_refused() -> anyhow::Result<()>
{
    let app = TestApp::new().await?;
    let session = app.session(&app.verified_org("acme", "na").await?).await?;
    let token = session.access_token.clone();
    assert_eq!(
        app.authed(Method::GET, "/api/v1/me", &token, None)
            .await?
            .status,
        StatusCode::OK
    );

    let mut parts: Vec<&str> = token.split('.').collect();
    let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","kid":"test-key","typ":"JWT"}"#);
    parts[0] = &none_header;
    let alg_none = format!("{}.{}.", parts[0], parts[1]);
    let claims: serde_json::Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD.decode(token.split('.').nth(1).unwrap_or_default())?,
    )?;
    let now = app.clock_now();
    let other_key = TokenKeys::new("test-key", &[6; 32]).sign(
        Audience::Access,
        &claims,
        now,
        time::Duration::minutes(5),
    )?;
    for (what, forged) in [
        ("alg none", alg_none),
        ("another key", other_key),
        ("garbage", "abc".to_owned()),
    ] {
        let r = app.authed(Method::GET, "/api/v1/me", &forged, None).await?;
        assert_eq!(
            (r.status, r.error_code().as_str()),
            (StatusCode::UNAUTHORIZED, "invalid_token"),
            "{what}"
        );
        assert!(r.header("www-authenticate").starts_with("Bearer"));
    }
    app.clock.advance(time::Duration::minutes(6));
    let expired = app.authed(Method::GET, "/api/v1/me", &token, None).await?;
    assert_eq!(
        (expired.status, expired.error_code().as_str()),
        (StatusCode::UNAUTHORIZED, "invalid_token")
    );
    let none = app.call(Method::GET, "/api/v1/me", None, &[]).await?;
    assert_eq!(
        (none.status, none.error_code().as_str()),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
    Ok(())
}

#[tokio::test]
async fn signing_out_ends_the_session_at_once() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let session = app.session(&app.verified_org("acme", "na").await?).await?;
    let r = app
        .with_cookie("/api/v1/auth/sign-out", &session.cookie)
        .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.header("set-cookie").contains("Max-Age=0"));
    let me = app
        .authed(Method::GET, "/api/v1/me", &session.access_token, None)
        .await?;
    assert_eq!(
        (me.status, me.error_code().as_str()),
        (StatusCode::UNAUTHORIZED, "session_ended"),
        "the unexpired access token no longer works"
    );
    assert_eq!(
        app.with_cookie("/api/v1/auth/refresh", &session.cookie)
            .await?
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        app.audit_actions("admin@acme.example")
            .await?
            .contains(&"auth.sign_out".to_owned())
    );
    Ok(())
}

#[tokio::test]
async fn a_person_lists_their_sessions_and_revokes_another() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let creds = app.verified_org("acme", "na").await?;
    let laptop = app.session(&creds).await?;
    let phone = app.session(&creds).await?;
    let list = app
        .authed(
            Method::GET,
            "/api/v1/me/sessions",
            &laptop.access_token,
            None,
        )
        .await?
        .json();
    let sessions = list.as_array().cloned().unwrap_or_default();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    assert_eq!(sessions[0]["source_ip"], "203.0.113.10");
    let other = sessions
        .iter()
        .find(|s| s["current"] == false)
        .and_then(|s| s["session_id"].as_str())
        .unwrap_or_default()
        .to_owned();
    let r = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/me/sessions/{other}"),
            &laptop.access_token,
            None,
        )
        .await?;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.authed(Method::GET, "/api/v1/me", &phone.access_token, None)
            .await?
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.authed(Method::GET, "/api/v1/me", &laptop.access_token, None)
            .await?
            .status,
        StatusCode::OK
    );
    let unknown = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/me/sessions/{}", uuid::Uuid::new_v4()),
            &laptop.access_token,
            None,
        )
        .await?;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    Ok(())
}
