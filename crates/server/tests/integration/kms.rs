//! The server with its key-encryption key in a real OpenBao Transit engine: a person's data key
//! is wrapped by the service, and when the service goes away mid-use a request that needs it
//! gets a clear 503, with nothing half-written.

use crate::credentials::fixture::member;
use crate::support::TestApp;
use attest_testkit::openbao::Bao;
use http::{Method, StatusCode};
use serde_json::json;
use std::sync::Arc;

#[tokio::test]
async fn the_kms_going_away_is_a_503_and_nothing_is_written() -> anyhow::Result<()> {
    let mut bao = Bao::start().await?;
    let kek = Arc::new(bao.kek().await?);
    let app = TestApp::customised(|state| state.kek = kek).await?;
    let creds = app.verified_org("acme", "na").await?;
    let ada = member(&app, &creds).await?;
    let start = json!({ "current_password": creds.password });

    // Setting up a second factor seals its secret with the person's data key, which the
    // service wraps.
    let r = app
        .authed(
            Method::POST,
            "/api/v1/me/mfa/totp",
            &ada.session.access_token,
            Some(start.clone()),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let db = &app.db.na.superuser;
    let wrapped: Vec<u8> =
        sqlx::query_scalar("select wrapped from attest.data_keys where subject_user_id = $1")
            .bind(ada.id)
            .fetch_one(db)
            .await?;
    assert!(
        wrapped.starts_with(b"vault:v1:"),
        "wrapped by the Transit key"
    );
    let stored = || async {
        let secret: Vec<u8> =
            sqlx::query_scalar("select secret_sealed from attest.mfa_totp where user_id = $1")
                .bind(ada.id)
                .fetch_one(db)
                .await?;
        let keys: i64 = sqlx::query_scalar("select count(*) from attest.data_keys")
            .fetch_one(db)
            .await?;
        anyhow::Ok((secret, keys))
    };
    let before = stored().await?;

    bao.child.kill()?;
    bao.child.wait()?;
    let r = app
        .authed(
            Method::POST,
            "/api/v1/me/mfa/totp",
            &ada.session.access_token,
            Some(start),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.error_code(), "unavailable");
    assert_eq!(stored().await?, before, "nothing half-written");
    Ok(())
}
