use crate::support::TestApp;
use http::StatusCode;

#[tokio::test]
async fn liveness_and_readiness_report_ok_with_every_region() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let r = app.get("/healthz").await?;
    assert_eq!(
        (r.status, r.json()["status"].as_str()),
        (StatusCode::OK, Some("ok"))
    );
    let r = app.get("/readyz").await?;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json()["regions"],
        serde_json::json!({"na": "ok", "ca": "ok"})
    );
    Ok(())
}

#[tokio::test]
async fn readiness_fails_when_a_region_database_is_gone() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    app.db.ca.app.close().await;
    let r = app.get("/readyz").await?;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.json()["regions"]["ca"], "unavailable");
    assert_eq!(r.json()["regions"]["na"], "ok");
    Ok(())
}
