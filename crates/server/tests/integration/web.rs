use crate::support::TestApp;
use http::StatusCode;

#[tokio::test]
async fn the_web_app_is_served_for_app_routes() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    for path in ["/", "/sign-in", "/workers/42"] {
        let r = app.get(path).await?;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r.header("content-type").starts_with("text/html"), "{path}");
        assert!(String::from_utf8_lossy(&r.body).contains("<title>Attest</title>"));
        assert_eq!(
            r.header("cache-control"),
            "no-cache",
            "{path}: the shell revalidates"
        );
    }
    Ok(())
}

#[tokio::test]
async fn hashed_assets_are_cached_and_missing_ones_are_404() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let r = app.get("/assets/app.js").await?;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").contains("javascript"));
    assert!(r.header("cache-control").contains("immutable"));
    let missing = app.get("/assets/missing.js").await?;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.error_code(), "not_found");
    Ok(())
}
