//! The server with its key-encryption key in a real OpenBao Transit engine: a person's data key
//! is wrapped by the service, and when the service goes away mid-use a request that needs it
//! gets a clear 503, with nothing half-written.

use crate::accounts::Creds;
use crate::credentials::fixture::{Member, member};
use crate::support::{TestApp, TestResponse};

use attest_testkit::openbao::{Bao, VaultKek};
use http::{Method, StatusCode};
use serde_json::json;
use std::sync::Arc;

/// An application whose KEK is a Transit key in a real OpenBao, and a signed-in admin.
struct OnVault {
    bao: Bao,
    kek: Arc<VaultKek>,
    app: TestApp,
    creds: Creds,
    ada: Member,
}

impl OnVault {
    async fn start() -> anyhow::Result<Self> {
        let bao = Bao::start().await?;
        let kek = Arc::new(bao.kek().await?);
        let shared = Arc::clone(&kek);
        let app = TestApp::customised(|state| state.kek = shared).await?;
        let creds = app.verified_org("acme", "na").await?;
        let ada = member(&app, &creds).await?;
        Ok(Self {
            bao,
            kek,
            app,
            creds,
            ada,
        })
    }

    /// Starts setting up a second factor, which seals its secret with Ada's data key (wrapped
    /// by the service).
    async fn start_mfa(&self) -> anyhow::Result<TestResponse> {
        let body = json!({ "current_password": self.creds.password });
        self.app
            .authed(
                Method::POST,
                "/api/v1/me/mfa/totp",
                &self.ada.session.access_token,
                Some(body),
            )
            .await
    }
}

#[tokio::test]
async fn the_kms_going_away_is_a_503_and_nothing_is_written() -> anyhow::Result<()> {
    let mut v = OnVault::start().await?;
    let r = v.start_mfa().await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let db = &v.app.db.na.superuser;
    let ada = v.ada.id;
    let wrapped: Vec<u8> =
        sqlx::query_scalar("select wrapped from attest.data_keys where subject_user_id = $1")
            .bind(ada)
            .fetch_one(db)
            .await?;
    assert!(
        wrapped.starts_with(b"vault:v1:"),
        "wrapped by the Transit key"
    );
    let stored = || async {
        let secret: Vec<u8> =
            sqlx::query_scalar("select secret_sealed from attest.mfa_totp where user_id = $1")
                .bind(ada)
                .fetch_one(db)
                .await?;
        let keys: i64 = sqlx::query_scalar("select count(*) from attest.data_keys")
            .fetch_one(db)
            .await?;
        anyhow::Ok((secret, keys))
    };
    let before = stored().await?;

    v.bao.child.kill()?;
    v.bao.child.wait()?;
    let r = v.start_mfa().await?;
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
    let v = OnVault::start().await?;
    assert_eq!(v.start_mfa().await?.status, StatusCode::OK);
    let db = &v.app.db.na.superuser;
    let versions = || async {
        anyhow::Ok(
            sqlx::query_scalar::<_, i32>("select kek_version from attest.data_keys")
                .fetch_all(db)
                .await?,
        )
    };
    assert_eq!(versions().await?, vec![1]);

    // The service rotates (as on its own schedule); the job notices and catches up.
    assert_eq!(v.kek.rotate().await?, 2);
    let state = &v.app.state;
    let rewrap =
        || attest_server::run_kek_rewrap(&state.regions, state.kek.as_ref(), state.clock.as_ref());
    assert_eq!(rewrap().await, 1);
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

    // Nothing left behind: the next run changes and records nothing; with version 1 retired,
    // the second factor's set-up still opens the re-wrapped key.
    assert_eq!(rewrap().await, 0);
    let events: i64 =
        sqlx::query_scalar("select count(*) from audit.events where action = 'keys.rewrapped'")
            .fetch_one(db)
            .await?;
    assert_eq!(events, 1);
    v.kek.retire_below(2).await?;
    let again = v.start_mfa().await?;
    assert_eq!(
        again.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&again.body)
    );
    Ok(())
}
