//! Calling an engine process: one HTTP/1.1 request per call over its unix socket or loopback
//! port. An engine that cannot be reached or answers nonsense is `503 engine_unavailable` (and
//! logged); a file it cannot read keeps the engine's own code.

use super::EngineSetting;
use super::service::{AnalyzeRequest, EngineError, Extracted};
use crate::error::AppError;
use attest_reqiq::{Fields, Report};
use axum::body::Bytes;
use http::header::{CONTENT_TYPE, HOST};
use http::{Request, StatusCode};
use http_body_util::{BodyExt as _, Full, Limited};
use hyper_util::rt::TokioIo;

/// The largest answer accepted from the engine.
const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

fn unavailable(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "the requisition engine could not be reached");
    AppError::client(
        StatusCode::SERVICE_UNAVAILABLE,
        "engine_unavailable",
        "The analysis engine is not available right now; try again in a moment.",
    )
}

async fn exchange<I>(io: I, request: Request<Full<Bytes>>) -> Result<(StatusCode, Bytes), AppError>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(unavailable)?;
    let connection = tokio::spawn(connection);
    let response = sender.send_request(request).await.map_err(unavailable)?;
    let status = response.status();
    let body = Limited::new(response.into_body(), MAX_ANSWER_BYTES)
        .collect()
        .await
        .map_err(unavailable)?
        .to_bytes();
    connection.abort();
    Ok((status, body))
}

async fn post(
    setting: &EngineSetting,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Result<(StatusCode, Bytes), AppError> {
    let request = Request::post(path)
        .header(HOST, "attest-engine")
        .header(CONTENT_TYPE, content_type)
        .body(Full::new(Bytes::from(body)))
        .map_err(AppError::internal)?;
    match setting {
        EngineSetting::Unix(socket) => {
            let stream = tokio::net::UnixStream::connect(socket)
                .await
                .map_err(unavailable)?;
            exchange(TokioIo::new(stream), request).await
        }
        EngineSetting::Loopback(addr) => {
            let stream = tokio::net::TcpStream::connect(addr)
                .await
                .map_err(unavailable)?;
            exchange(TokioIo::new(stream), request).await
        }
        EngineSetting::InProcess => Err(AppError::internal("no engine process configured")),
    }
}

pub(super) async fn analyse(
    setting: &EngineSetting,
    text: &str,
    fields: &Fields,
) -> Result<Report, AppError> {
    let request = AnalyzeRequest {
        text: text.to_owned(),
        fields: fields.clone(),
    };
    let body = serde_json::to_vec(&request).map_err(AppError::internal)?;
    let (status, answer) = post(setting, "/v1/analyze", "application/json", body).await?;
    if status != StatusCode::OK {
        return Err(unavailable(format!("analyze answered {status}")));
    }
    serde_json::from_slice(&answer).map_err(unavailable)
}

pub(super) async fn extract(setting: &EngineSetting, bytes: Vec<u8>) -> Result<String, AppError> {
    let (status, answer) = post(setting, "/v1/extract", "application/octet-stream", bytes).await?;
    if status == StatusCode::OK {
        let extracted: Extracted = serde_json::from_slice(&answer).map_err(unavailable)?;
        return Ok(extracted.text);
    }
    let refused: EngineError = serde_json::from_slice(&answer).map_err(unavailable)?;
    match attest_reqiq::ExtractError::from_code(&refused.code, &refused.detail) {
        Some(e) => Err(super::extract_error(&e)),
        None => Err(unavailable(format!(
            "extract answered {status}: {}",
            refused.code
        ))),
    }
}
