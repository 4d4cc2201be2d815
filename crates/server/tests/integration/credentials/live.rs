//! Live readiness: an open server-sent-event stream hears about a change made by someone else.

use super::fixture::Workforce;
use futures_util::StreamExt as _;
use http::StatusCode;
use serde_json::json;
use std::time::Duration;
use tower::ServiceExt as _;

/// Reads the stream until an event named `name` arrives.
async fn next_event(body: &mut axum::body::BodyDataStream, name: &str) -> anyhow::Result<()> {
    let mut seen = String::new();
    while let Some(chunk) = body.next().await {
        seen.push_str(&String::from_utf8_lossy(&chunk?));
        if seen.contains(&format!("event: {name}")) {
            return Ok(());
        }
    }
    anyhow::bail!("stream ended before {name}: {seen}")
}

#[tokio::test]
async fn an_open_dashboard_hears_about_a_new_credential() -> anyhow::Result<()> {
    let w = Workforce::new().await?;
    let request = http::Request::get("/api/v1/readiness/live")
        .header(
            "authorization",
            format!("Bearer {}", w.supervisor_a.session.access_token),
        )
        .body(axum::body::Body::empty())?;
    let response = w.app.router.clone().oneshot(request).await?;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut body = response.into_body().into_data_stream();
    tokio::time::timeout(Duration::from_secs(5), next_event(&mut body, "ready")).await??;
    // Give the listener a moment to be subscribed in the database before the change commits.
    tokio::time::sleep(Duration::from_millis(200)).await;

    w.add_credential(
        w.worker_a.id,
        "FACPR",
        json!({"issuer": "Red Cross", "issued_on": "2026-01-01"}),
    )
    .await?;
    // Within a second of the commit (five allowed for a loaded CI machine).
    tokio::time::timeout(Duration::from_secs(5), next_event(&mut body, "changed")).await??;
    Ok(())
}
