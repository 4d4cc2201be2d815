//! Costly requests have per-account and server-wide limits: beyond them the answer comes at
//! once, `429 too_many_at_once` or `503 server_busy`, with `Retry-After`, and a place is held
//! until the work ends (for a stream, until the stream ends). Live-update streams end when
//! their session does.

use crate::support::TestApp;
use attest_server::{ConcurrencyLimits, Costly};
use axum::body::Body;
use futures_util::StreamExt as _;
use http::{Request, StatusCode};
use std::time::Duration;
use tower::ServiceExt as _;

/// Sends a GET and returns the response without reading its body (a stream stays open).
async fn open(app: &TestApp, path: &str, token: &str) -> anyhow::Result<http::Response<Body>> {
    let mut request = Request::get(path)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())?;
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            crate::support::CLIENT_IP,
            50_000,
        ))));
    Ok(app.router.clone().oneshot(request).await?)
}

/// A refusal's status, code, and whether it says when to retry.
async fn code(response: http::Response<Body>) -> anyhow::Result<(u16, String, bool)> {
    let status = response.status().as_u16();
    let retry = response.headers().contains_key(http::header::RETRY_AFTER);
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await?
        .to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    Ok((
        status,
        json["code"].as_str().unwrap_or_default().to_owned(),
        retry,
    ))
}

#[tokio::test]
async fn exports_past_the_account_share_or_the_server_fill_are_shed_at_once() -> anyhow::Result<()>
{
    let app = TestApp::customised(|state| {
        state.concurrency = attest_server::Concurrency::new(ConcurrencyLimits::default().with(
            Costly::Export,
            1,
            1,
        ));
    })
    .await?;
    let acme = app.verified_org("acme", "na").await?;
    let acme = app.session(&acme).await?;
    let globex = app.verified_org("globex", "na").await?;
    let globex = app.session(&globex).await?;
    let export = "/api/v1/audit/export";
    let first = open(&app, export, &acme.access_token).await?;
    assert_eq!(first.status(), StatusCode::OK);
    // The first export's body is still unread: its place is held.
    assert_eq!(
        code(open(&app, export, &acme.access_token).await?).await?,
        (429, "too_many_at_once".to_owned(), true)
    );
    assert_eq!(
        code(open(&app, export, &globex.access_token).await?).await?,
        (503, "server_busy".to_owned(), true)
    );
    // Reading the first export to its end gives the place back.
    let body = http_body_util::BodyExt::collect(first.into_body())
        .await?
        .to_bytes();
    assert!(!body.is_empty());
    assert_eq!(
        open(&app, export, &globex.access_token).await?.status(),
        StatusCode::OK
    );
    Ok(())
}

#[tokio::test]
async fn live_streams_are_limited_per_account_and_end_with_their_session() -> anyhow::Result<()> {
    let app = TestApp::customised(|state| {
        state.concurrency = attest_server::Concurrency::new(ConcurrencyLimits::default().with(
            Costly::Stream,
            2,
            100,
        ));
        std::sync::Arc::make_mut(&mut state.settings).stream_session_check =
            Duration::from_millis(200);
    })
    .await?;
    let creds = app.verified_org("acme", "na").await?;
    let session = app.session(&creds).await?;
    let live = "/api/v1/readiness/live";
    let first = open(&app, live, &session.access_token).await?;
    let second = open(&app, live, &session.access_token).await?;
    assert_eq!(
        (first.status(), second.status()),
        (StatusCode::OK, StatusCode::OK)
    );
    assert_eq!(
        code(open(&app, live, &session.access_token).await?).await?,
        (429, "too_many_at_once".to_owned(), true)
    );
    drop(second);
    let mut body = first.into_body().into_data_stream();
    let ready = tokio::time::timeout(Duration::from_secs(5), body.next()).await?;
    assert!(ready.is_some());
    // Signing out ends the session; the open stream notices and ends.
    let out = app
        .call(
            http::Method::POST,
            "/api/v1/auth/sign-out",
            None,
            &[
                ("cookie", &session.cookie),
                ("origin", crate::support::PUBLIC_URL),
            ],
        )
        .await?;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(chunk) = body.next().await {
            chunk?;
        }
        Ok::<_, anyhow::Error>(())
    })
    .await;
    assert!(ended.is_ok(), "the stream outlived its session");
    Ok(())
}
