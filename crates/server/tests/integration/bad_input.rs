//! Malformed JSON, unknown fields, oversized bodies and wrong content types get a 4xx with the
//! error shape, and change nothing.

use crate::support::{TestApp, new_org};
use http::{Method, StatusCode};

#[tokio::test]
async fn malformed_json_is_a_400_and_changes_nothing() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    for body in [
        "{",
        "{\"slug\": \"acme\",}",
        "not json at all",
        "",
        "{\"slug\": ",
    ] {
        let r = app
            .send(
                Method::POST,
                "/api/v1/organisations",
                "application/json",
                body.as_bytes().to_vec(),
            )
            .await?;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "body {body:?}");
        assert_eq!(r.error_code(), "malformed_json");
    }
    assert_eq!(app.stored_rows().await?, 0);
    Ok(())
}

#[tokio::test]
async fn unknown_fields_are_refused_not_ignored() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let mut body = new_org("acme", "na");
    body["is_platform_admin"] = serde_json::json!(true);
    let r = app.post_json("/api/v1/organisations", &body).await?;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_code(), "invalid_body");
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap_or("")
            .contains("is_platform_admin")
    );

    let mut nested = new_org("acme", "na");
    nested["admin"]["role"] = serde_json::json!("platform_admin");
    let r = app.post_json("/api/v1/organisations", &nested).await?;
    assert_eq!(r.error_code(), "invalid_body");
    assert_eq!(app.stored_rows().await?, 0);
    Ok(())
}

#[tokio::test]
async fn wrong_types_and_missing_fields_are_422() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let mut wrong = new_org("acme", "na");
    wrong["slug"] = serde_json::json!(42);
    let r = app.post_json("/api/v1/organisations", &wrong).await?;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body")
    );
    let r = app
        .post_json(
            "/api/v1/organisations",
            &serde_json::json!({"slug": "acme"}),
        )
        .await?;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body")
    );
    assert_eq!(app.stored_rows().await?, 0);
    Ok(())
}

#[tokio::test]
async fn an_oversized_body_is_413_and_changes_nothing() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let mut body = new_org("acme", "na");
    body["name"] = serde_json::json!("x".repeat(200 * 1024));
    let r = app.post_json("/api/v1/organisations", &body).await?;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error_code(), "payload_too_large");
    assert_eq!(app.stored_rows().await?, 0);
    Ok(())
}

#[tokio::test]
async fn a_wrong_content_type_is_415_and_changes_nothing() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let body = new_org("acme", "na").to_string().into_bytes();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let r = app
            .send(
                Method::POST,
                "/api/v1/organisations",
                content_type,
                body.clone(),
            )
            .await?;
        assert_eq!(
            r.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}"
        );
        assert_eq!(r.error_code(), "unsupported_media_type");
    }
    assert_eq!(app.stored_rows().await?, 0);
    Ok(())
}

#[tokio::test]
async fn invalid_values_are_422_with_a_message_per_field() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let body = serde_json::json!({
        "slug": "Not A Slug",
        "name": "   ",
        "region": "eu",
        "admin": { "email": "nobody", "name": "Ada", "password": "short" }
    });
    let r = app.post_json("/api/v1/organisations", &body).await?;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_code(), "validation_failed");
    let fields = r.json()["fields"].clone();
    for field in ["slug", "name", "region", "admin.email", "admin.password"] {
        assert!(
            fields[field].as_str().is_some_and(|m| !m.is_empty()),
            "no message for {field}: {fields}"
        );
    }
    assert!(
        fields.get("admin.name").is_none(),
        "a valid field has no message"
    );
    assert!(
        !r.json().to_string().contains("short"),
        "the password is never echoed"
    );
    assert_eq!(app.stored_rows().await?, 0);
    Ok(())
}

#[tokio::test]
async fn an_unknown_api_path_is_a_404_in_the_error_shape() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let r = app.get("/api/v1/no-such-thing").await?;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "not_found");
    Ok(())
}

#[tokio::test]
async fn a_wrong_method_is_a_405_in_the_error_shape() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let r = app
        .send(
            Method::DELETE,
            "/api/v1/organisations",
            "application/json",
            Vec::new(),
        )
        .await?;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.error_code(), "method_not_allowed");
    assert!(r.header("allow").contains("POST"));
    Ok(())
}
