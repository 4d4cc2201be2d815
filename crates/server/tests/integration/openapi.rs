use crate::support::TestApp;

#[tokio::test]
async fn the_openapi_document_describes_the_api() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let r = app.get("/api/openapi.json").await?;
    assert!(r.header("content-type").starts_with("application/json"));
    let doc = r.json();
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
        "{}",
        doc["openapi"]
    );
    for path in [
        "/healthz",
        "/readyz",
        "/api/v1/meta",
        "/api/v1/organisations",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is not documented");
    }
    let schemas = &doc["components"]["schemas"];
    assert!(
        schemas.get("ErrorBody").is_some(),
        "the error shape is documented"
    );
    assert!(
        schemas["CreateOrganisation"]["properties"]
            .get("slug")
            .is_some()
    );
    Ok(())
}
