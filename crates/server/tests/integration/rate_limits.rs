use crate::support::TestApp;
use http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn unauthenticated_endpoints_answer_429_with_retry_after_beyond_the_burst()
-> anyhow::Result<()> {
    let app = TestApp::with_rate_limit(60, 3).await?;
    let body =
        json!({"organisation": "acme", "email": "a@acme.example", "password": "whatever it is"});
    for _ in 0..3 {
        assert_eq!(
            app.post_json("/api/v1/auth/sign-in", &body).await?.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = app.post_json("/api/v1/auth/sign-in", &body).await?;
    assert_eq!(
        (limited.status, limited.error_code().as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    let retry: u64 = limited.header("retry-after").parse()?;
    assert!((1..=60).contains(&retry), "{retry}");
    for path in [
        "/api/v1/auth/forgot-password",
        "/api/v1/auth/resend-verification",
        "/api/v1/organisations",
        "/api/v1/auth/verify-email",
    ] {
        let r = app.post_json(path, &json!({})).await?;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{path}");
    }
    Ok(())
}
