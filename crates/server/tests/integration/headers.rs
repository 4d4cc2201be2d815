//! Security headers and request ids on every kind of response.

use crate::support::TestApp;
use http::StatusCode;
use std::collections::BTreeSet;

#[tokio::test]
async fn every_response_carries_the_security_headers() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    for path in [
        "/healthz",
        "/api/v1/meta",
        "/api/v1/nothing",
        "/",
        "/workers/123",
        "/assets/app.js",
        "/api/openapi.json",
    ] {
        let r = app.get(path).await?;
        assert!(
            r.header("strict-transport-security")
                .contains("max-age=63072000"),
            "{path}"
        );
        assert!(
            r.header("strict-transport-security")
                .contains("includeSubDomains"),
            "{path}"
        );
        let csp = r.header("content-security-policy");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        // No inline script or style and no JavaScript eval; WebAssembly (the gate's QR decoder)
        // may be compiled, which is all 'wasm-unsafe-eval' allows.
        assert!(
            !csp.contains("unsafe-inline")
                && !csp.split([' ', ';']).any(|token| token == "'unsafe-eval'"),
            "{path}: {csp}"
        );
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(r.header("referrer-policy"), "no-referrer", "{path}");
        assert_eq!(r.header("x-frame-options"), "DENY", "{path}");
    }
    Ok(())
}

#[tokio::test]
async fn api_responses_are_never_cached() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    for path in ["/api/v1/meta", "/api/v1/nothing", "/api/openapi.json"] {
        assert_eq!(
            app.get(path).await?.header("cache-control"),
            "no-store",
            "{path}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn every_response_has_its_own_request_id() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let mut ids = BTreeSet::new();
    for _ in 0..5 {
        let r = app.get("/healthz").await?;
        let id = r.header("x-request-id").to_owned();
        assert_eq!(id.len(), 36, "a UUID: {id}");
        ids.insert(id);
    }
    assert_eq!(ids.len(), 5);
    Ok(())
}

#[tokio::test]
async fn a_client_supplied_request_id_is_not_trusted() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let request = http::Request::get("/healthz")
        .header("x-request-id", "forged-id")
        .body(axum::body::Body::empty())?;
    let r = app.request(request).await?;
    assert_eq!(r.status, StatusCode::OK);
    assert_ne!(r.header("x-request-id"), "forged-id");
    Ok(())
}

#[tokio::test]
async fn cors_is_closed_to_other_origins_by_default() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let request = http::Request::builder()
        .method("OPTIONS")
        .uri("/api/v1/organisations")
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "POST")
        .body(axum::body::Body::empty())?;
    let r = app.request(request).await?;
    assert_eq!(r.header("access-control-allow-origin"), "");
    Ok(())
}
