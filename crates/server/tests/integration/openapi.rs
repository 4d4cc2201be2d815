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
    // Generated clients key each operation by its id: one id, one operation.
    let mut ids = std::collections::BTreeSet::new();
    for (path, operations) in doc["paths"].as_object().into_iter().flatten() {
        for (method, operation) in operations.as_object().into_iter().flatten() {
            let id = operation["operationId"].as_str().unwrap_or_default();
            assert!(!id.is_empty(), "{method} {path} has no operationId");
            assert!(
                ids.insert(id.to_owned()),
                "{method} {path}: operationId {id} is taken"
            );
        }
    }
    Ok(())
}

/// Every parameter named `in: path` is a `{placeholder}` of its path, and every placeholder is
/// a path parameter: query parameters are not mistaken for path ones (clients generated from
/// the document, and API fuzzers, depend on it).
#[tokio::test]
async fn path_parameters_are_the_paths_placeholders_and_nothing_else() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let doc = app.get("/api/openapi.json").await?.json();
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    let mut checked = 0;
    for (path, operations) in &paths {
        let placeholders: std::collections::BTreeSet<String> = path
            .split('/')
            .filter_map(|part| part.strip_prefix('{').and_then(|p| p.strip_suffix('}')))
            .map(str::to_owned)
            .collect();
        for (method, operation) in operations.as_object().into_iter().flatten() {
            let in_path: std::collections::BTreeSet<String> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect();
            assert_eq!(in_path, placeholders, "{method} {path}");
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked} operations");
    // The ones that were wrong.
    let query = |path: &str, method: &str, name: &str| {
        doc["paths"][path][method]["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p["name"] == name && p["in"] == "query")
    };
    assert!(query("/api/v1/requisitions/upload", "post", "title"));
    assert!(query("/api/v1/imports/credentials", "post", "dry_run"));
    assert!(query("/api/v1/audit/events", "get", "action"));
    Ok(())
}

/// The web app's API types are generated from `web/openapi.json` (openapi-typescript, at its
/// build): that copy must be this document, so the web app is type-checked against the API as
/// it is. After an API change, rewrite it with `ATTEST_WRITE_OPENAPI=1 cargo test -p
/// attest-server --test integration openapi`.
#[tokio::test]
async fn the_web_apps_copy_of_the_document_is_current() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let doc = app.get("/api/openapi.json").await?.json();
    let text = serde_json::to_string_pretty(&doc)? + "\n";
    let copy = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/openapi.json");
    if std::env::var_os("ATTEST_WRITE_OPENAPI").is_some() {
        std::fs::write(&copy, &text)?;
        return Ok(());
    }
    let committed = std::fs::read_to_string(&copy).unwrap_or_default();
    assert!(
        committed == text,
        "web/openapi.json is not the server's OpenAPI document: rewrite it with \
         ATTEST_WRITE_OPENAPI=1 cargo test -p attest-server --test integration openapi"
    );
    Ok(())
}
