//! The engine as a separate process (here: its server in a task, on a unix socket or a loopback
//! port): the server's answers are the same as in process, unreadable files keep their codes,
//! and an engine that is gone is a clear 503 with nothing stored.

use super::fixture::{POSTING, Team, assert_spans_match, posting_fields};
use crate::support::TestApp;
use attest_server::EngineSetting;
use http::StatusCode;
use serde_json::Value;
use tokio::sync::oneshot;

/// Starts an engine at `setting`; dropping the sender stops it.
async fn engine(setting: &EngineSetting) -> anyhow::Result<oneshot::Sender<()>> {
    let (stop, stopped) = oneshot::channel::<()>();
    let serving = setting.clone();
    tokio::spawn(async move {
        let _ = attest_server::serve_engine(&serving, crate::support::parsers(), async {
            let _ = stopped.await;
        })
        .await;
    });
    // Wait until it answers.
    for _ in 0..100 {
        let ready = match setting {
            EngineSetting::Unix(path) => tokio::net::UnixStream::connect(path).await.is_ok(),
            EngineSetting::Loopback(addr) => tokio::net::TcpStream::connect(addr).await.is_ok(),
            EngineSetting::InProcess => true,
        };
        if ready {
            return Ok(stop);
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    anyhow::bail!("the engine did not start")
}

fn rules(report: &Value) -> Vec<(String, i64, i64, String)> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or_default().to_owned(),
                f["start"].as_i64().unwrap_or(-1),
                f["end"].as_i64().unwrap_or(-1),
                f["fingerprint"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_engine_process_on_a_socket_answers_as_the_server_would() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let socket = dir.path().join("engine.sock");
    let setting = EngineSetting::Unix(socket.clone());
    let stop = engine(&setting).await?;
    use std::os::unix::fs::PermissionsExt as _;
    assert_eq!(
        std::fs::metadata(&socket)?.permissions().mode() & 0o777,
        0o660,
        "owner and group only"
    );

    let remote = Team::on(TestApp::with_engine(setting).await?).await?;
    let local = Team::new().await?;
    let a = remote
        .submit(&remote.author_a, "Warehouse", POSTING, posting_fields())
        .await?;
    let b = local
        .submit(&local.author_a, "Warehouse", POSTING, posting_fields())
        .await?;
    assert!(!rules(&a).is_empty());
    assert_eq!(rules(&a), rules(&b), "the same findings either way");
    assert_eq!(a["analysis"], b["analysis"]);
    assert_spans_match(&a);

    let docx = attest_reqiq::docx_fixture(&["Forklift operator.", "No felons."]);
    let r = remote
        .upload(&remote.author_a, "title=Forklift", docx)
        .await?;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["source"], "docx");
    let pdf = attest_reqiq::pdf_fixture(&[vec!["No felons.".to_owned()]]);
    let r = remote
        .upload(
            &remote.author_a,
            "title=Broken",
            pdf[..pdf.len() / 2].to_vec(),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.error_code(), "damaged_document");
    let r = remote
        .upload(&remote.author_a, "title=Binary", vec![0xff, 0x00, 0x81])
        .await?;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.error_code(), "unsupported_file");

    // The engine goes away: a clear 503, nothing stored.
    let before = remote.stored().await?;
    drop(stop);
    for _ in 0..100 {
        if tokio::net::UnixStream::connect(&socket).await.is_err() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let _ = std::fs::remove_file(&socket);
    let r = remote
        .app
        .authed(
            http::Method::POST,
            "/api/v1/requisitions",
            &remote.author_a.session.access_token,
            Some(serde_json::json!({"title": "Later", "text": POSTING})),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.error_code(), "engine_unavailable");
    assert_eq!(remote.stored().await?, before, "nothing stored");
    Ok(())
}

#[tokio::test]
async fn an_engine_process_on_loopback_answers_anonymous_analyses() -> anyhow::Result<()> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let setting = EngineSetting::Loopback(format!("127.0.0.1:{port}").parse()?);
    let _stop = engine(&setting).await?;
    let app = TestApp::with_engine(setting).await?;
    let r = app
        .call(
            http::Method::POST,
            "/api/v1/public/analyze",
            Some(serde_json::json!({"text": "Cashier. No felons. Must be under 40."})),
            &[],
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["summary"]["high"], 2);
    Ok(())
}
