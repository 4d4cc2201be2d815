use crate::support::{TestApp, new_org};
use http::StatusCode;

#[tokio::test]
async fn signing_up_creates_the_organisation_in_its_home_region() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    for (slug, region) in [("acme", "na"), ("maple", "ca")] {
        let r = app
            .post_json("/api/v1/organisations", &new_org(slug, region))
            .await?;
        assert_eq!(
            r.status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        let body = r.json();
        assert_eq!(body["organisation"]["slug"], slug);
        assert_eq!(body["organisation"]["region"], region);
        assert_eq!(body["admin"]["email"], "ada@acme.example");
        assert!(
            !r.body.windows(5).any(|w| w == b"horse"),
            "no password in the response"
        );
    }
    let in_na: Vec<String> = sqlx::query_scalar("select slug from attest.organisations")
        .fetch_all(&app.db.na.superuser)
        .await?;
    let in_ca: Vec<String> = sqlx::query_scalar("select slug from attest.organisations")
        .fetch_all(&app.db.ca.superuser)
        .await?;
    assert_eq!(
        (in_na, in_ca),
        (vec!["acme".to_owned()], vec!["maple".to_owned()])
    );
    Ok(())
}

#[tokio::test]
async fn the_region_defaults_to_north_america() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let mut body = new_org("acme", "na");
    body.as_object_mut().map(|o| o.remove("region"));
    let r = app.post_json("/api/v1/organisations", &body).await?;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["organisation"]["region"], "na");
    Ok(())
}

#[tokio::test]
async fn the_password_is_stored_only_as_an_argon2id_hash() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    app.post_json("/api/v1/organisations", &new_org("acme", "na"))
        .await?;
    let hashes: Vec<String> =
        sqlx::query_scalar("select password_hash from attest.password_credentials")
            .fetch_all(&app.db.na.superuser)
            .await?;
    assert_eq!(hashes.len(), 1);
    assert!(hashes[0].starts_with("$argon2id$"), "{}", hashes[0]);
    assert!(!hashes[0].contains("horse"));
    Ok(())
}

#[tokio::test]
async fn a_taken_slug_is_a_409_and_the_first_organisation_is_untouched() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    assert_eq!(
        app.post_json("/api/v1/organisations", &new_org("acme", "na"))
            .await?
            .status,
        StatusCode::CREATED
    );
    let before = app.stored_rows().await?;
    let mut again = new_org("acme", "ca");
    again["name"] = serde_json::json!("Impostor Inc");
    let r = app.post_json("/api/v1/organisations", &again).await?;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error_code(), "slug_taken");
    assert_eq!(app.stored_rows().await?, before);
    let name: String = sqlx::query_scalar("select name from attest.organisations")
        .fetch_one(&app.db.na.superuser)
        .await?;
    assert_eq!(name, "Acme Construction");
    Ok(())
}

#[tokio::test]
async fn a_region_this_server_does_not_have_is_a_422() -> anyhow::Result<()> {
    let app = TestApp::primary_only().await?;
    let r = app
        .post_json("/api/v1/organisations", &new_org("maple", "ca"))
        .await?;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_code(), "region_unavailable");
    assert_eq!(app.stored_rows().await?, 0, "the slug was not claimed");
    Ok(())
}

#[tokio::test]
async fn meta_lists_the_regions_this_server_offers() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let body = app.get("/api/v1/meta").await?.json();
    assert_eq!(body["regions"][0]["code"], "na");
    assert_eq!(body["regions"][1]["code"], "ca");
    let only_na = TestApp::primary_only()
        .await?
        .get("/api/v1/meta")
        .await?
        .json();
    assert_eq!(only_na["regions"].as_array().map(Vec::len), Some(1));
    Ok(())
}
