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

/// How long a call may take (extraction stops itself after 10 s).
const ENGINE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

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

/// Stops the connection's task however the exchange ends.
struct AbortOnDrop(tokio::task::JoinHandle<Result<(), hyper::Error>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn exchange<I>(io: I, request: Request<Full<Bytes>>) -> Result<(StatusCode, Bytes), AppError>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(unavailable)?;
    let _connection = AbortOnDrop(tokio::spawn(connection));
    let response = sender.send_request(request).await.map_err(unavailable)?;
    let status = response.status();
    let body = Limited::new(response.into_body(), MAX_ANSWER_BYTES)
        .collect()
        .await
        .map_err(unavailable)?
        .to_bytes();
    Ok((status, body))
}

async fn post(
    setting: &EngineSetting,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> Result<(StatusCode, Bytes), AppError> {
    let request = Request::post(path)
        .header(HOST, super::service::ENGINE_HOST)
        .header(CONTENT_TYPE, content_type)
        .body(Full::new(Bytes::from(body)))
        .map_err(AppError::internal)?;
    let call = async {
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
    };
    tokio::time::timeout(ENGINE_TIMEOUT, call)
        .await
        .map_err(|_| unavailable("no answer in time"))?
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
    let mut report: Report = serde_json::from_slice(&answer).map_err(unavailable)?;
    checked(&mut report, text.chars().count()).map_err(unavailable)?;
    Ok(report)
}

/// What another process answers is checked before anything is stored: spans inside the text,
/// well-formed and distinct fingerprints, a rule-pack version, and the summary recomputed from
/// the findings.
fn checked(report: &mut Report, characters: usize) -> Result<(), String> {
    let version_ok = {
        let parts: Vec<&str> = report.rule_pack_version.split('.').collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
    };
    if !version_ok {
        return Err(format!("rule pack {:?}", report.rule_pack_version));
    }
    let mut seen = std::collections::HashSet::new();
    for f in &report.findings {
        if f.start > f.end || f.end > characters {
            return Err(format!(
                "span {}..{} of {characters} characters",
                f.start, f.end
            ));
        }
        let hex = f.fingerprint.len() == 32
            && f.fingerprint
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !hex || !seen.insert(f.fingerprint.as_str()) {
            return Err(format!("fingerprint {:?}", f.fingerprint));
        }
    }
    report.summary = attest_reqiq::Summary::of(&report.findings);
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::checked;

    #[test]
    fn an_engine_report_is_checked_before_it_is_used() {
        let text = "Cashier. No felons. Must be under 40.";
        let good = attest_reqiq::analyze(text, &attest_reqiq::Fields::default());
        let n = text.chars().count();
        let mut ok = good.clone();
        ok.summary.score = 100;
        ok.summary.high = 0;
        assert_eq!(checked(&mut ok, n), Ok(()));
        assert_eq!(ok.summary, good.summary, "the summary is recomputed");

        let mut beyond = good.clone();
        beyond.findings[0].end = n + 1;
        assert!(checked(&mut beyond, n).is_err());
        let mut twice = good.clone();
        twice.findings[1].fingerprint = twice.findings[0].fingerprint.clone();
        assert!(checked(&mut twice, n).is_err());
        let mut odd = good.clone();
        odd.findings[0].fingerprint = "not-hex".into();
        assert!(checked(&mut odd, n).is_err());
        let mut version = good;
        version.rule_pack_version = "2026.12.0; drop table".into();
        assert!(checked(&mut version, n).is_err());
    }
}
