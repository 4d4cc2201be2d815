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

#[tokio::test]
async fn after_the_service_rotates_the_background_job_rewraps_every_data_key() -> anyhow::Result<()>
{
    let bao = Bao::start().await?;
    let kek = Arc::new(bao.kek().await?);
    let shared = Arc::clone(&kek);
    let app = TestApp::customised(|state| state.kek = shared).await?;
    let creds = app.verified_org("acme", "na").await?;
    let ada = member(&app, &creds).await?;
    let start = json!({ "current_password": creds.password });
    let r = app
        .authed(
            Method::POST,
            "/api/v1/me/mfa/totp",
            &ada.session.access_token,
            Some(start),
        )
        .await?;
    assert_eq!(r.status, StatusCode::OK);
    let db = &app.db.na.superuser;
    let versions = || async {
        anyhow::Ok(
            sqlx::query_scalar::<_, i32>("select kek_version from attest.data_keys")
                .fetch_all(db)
                .await?,
        )
    };
    assert_eq!(versions().await?, vec![1]);

    // The service rotates (as on its own schedule); the job notices and catches up.
    assert_eq!(kek.rotate().await?, 2);
    let state = &app.state;
    assert_eq!(
        attest_server::run_kek_rewrap(&state.regions, state.kek.as_ref(), state.clock.as_ref())
            .await,
        1
    );
    assert_eq!(versions().await?, vec![2]);
    let recorded: Vec<(String, String, serde_json::Value)> = sqlx::query_as(
        "select action, actor_kind, details from audit.events where action = 'keys.rewrapped'",
    )
    .fetch_all(db)
    .await?;
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(recorded[0].1, "system");
    assert_eq!(recorded[0].2["data_keys"], 1);
    assert_eq!(recorded[0].2["kek_version"], 2);

    // Nothing left behind: the next run changes and records nothing; the second factor's
    // secret still opens under the re-wrapped key.
    assert_eq!(
        attest_server::run_kek_rewrap(&state.regions, state.kek.as_ref(), state.clock.as_ref())
            .await,
        0
    );
    let events: i64 =
        sqlx::query_scalar("select count(*) from audit.events where action = 'keys.rewrapped'")
            .fetch_one(db)
            .await?;
    assert_eq!(events, 1);
    kek.retire_below(2).await?;
    let again = app
        .authed(
            Method::POST,
            "/api/v1/me/mfa/totp",
            &ada.session.access_token,
            Some(json!({ "current_password": creds.password })),
        )
        .await?;
    assert_eq!(
        again.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&again.body)
    );
    Ok(())
}
