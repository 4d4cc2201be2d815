//! The engine process's own small HTTP API (served by `attest engine serve`): `POST /v1/analyze`
//! (`{text, fields}` → the report), `POST /v1/extract` (a file → `{text}`, or `422 {code,
//! message}`), `GET /healthz`. No authentication: it listens only where nothing else reaches
//! (a socket file readable by its owner, or loopback).

use super::EngineSetting;
use crate::parser::{ParseFailure, Parsers};
use attest_reqiq::{ExtractError, Fields, Report};
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use std::future::Future;

/// The `Host` every request must name: a browser led to the loopback port by a rebound DNS name
/// sends that name instead, and is refused.
pub(crate) const ENGINE_HOST: &str = "attest-engine";

/// The longest text the engine process analyses, in characters.
const MAX_TEXT_CHARS: usize = 200_000;

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnalyzeRequest {
    pub(crate) text: String,
    #[serde(default)]
    pub(crate) fields: Fields,
}

#[derive(Debug, Deserialize, Serialize)]
pub(crate) struct Extracted {
    pub(crate) text: String,
}

#[derive(Debug, Deserialize, Serialize)]
pub(crate) struct EngineError {
    pub(crate) code: String,
    pub(crate) message: String,
    /// A damaged document's reason.
    #[serde(default)]
    pub(crate) detail: String,
}

fn refuse(status: StatusCode, code: &str, message: String) -> Response {
    refuse_with(status, code, message, String::new())
}

fn refuse_with(status: StatusCode, code: &str, message: String, detail: String) -> Response {
    let body = EngineError {
        code: code.to_owned(),
        message,
        detail,
    };
    (status, Json(body)).into_response()
}

async fn analyze(body: Bytes) -> Response {
    let request: AnalyzeRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_request",
                e.to_string(),
            );
        }
    };
    if request.text.chars().count() > MAX_TEXT_CHARS {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "text_too_long",
            "The text is longer than 200,000 characters.".to_owned(),
        );
    }
    let report = tokio::task::spawn_blocking(move || -> Report {
        attest_reqiq::analyze(&request.text, &request.fields)
    })
    .await;
    match report {
        Ok(report) => Json(report).into_response(),
        Err(_) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "engine_failed",
            "The analysis failed.".to_owned(),
        ),
    }
}

async fn extract(State(parsers): State<Parsers>, body: Bytes) -> Response {
    let refused = |e: ExtractError| {
        let status = if e == ExtractError::Busy {
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        refuse_with(
            status,
            e.code(),
            super::sentence(&e.to_string()),
            e.detail().to_owned(),
        )
    };
    match parsers.extract_text(&body).await {
        Ok(Ok(text)) => Json(Extracted { text }).into_response(),
        Ok(Err(e)) => refused(e),
        Err(ParseFailure::Busy) => refused(ExtractError::Busy),
        Err(ParseFailure::TooDemanding) => refused(ExtractError::TooSlow),
        Err(ParseFailure::Broken(detail)) => {
            tracing::error!(%detail, "a parser worker failed");
            refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "engine_failed",
                "Reading the file failed.".to_owned(),
            )
        }
    }
}

async fn only_our_host(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let host = request
        .headers()
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok());
    if host == Some(ENGINE_HOST) {
        next.run(request).await
    } else {
        refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "wrong_host",
            format!("Requests to the engine name Host: {ENGINE_HOST}."),
        )
    }
}

/// The engine process's routes; files are read by `parsers`' workers.
pub fn engine_app(parsers: Parsers) -> Router {
    Router::new()
        .route("/v1/analyze", post(analyze))
        .route("/v1/extract", post(extract))
        .route("/healthz", get(|| async { "ok" }))
        .layer(DefaultBodyLimit::max(attest_reqiq::MAX_FILE_BYTES + 1024))
        .layer(axum::middleware::from_fn(only_our_host))
        .with_state(parsers)
}

/// Serves the engine on a unix socket (created readable and writable by its owner only; a stale
/// socket file is replaced) or a loopback address, until `shutdown` completes.
pub async fn serve_engine(
    listen: &EngineSetting,
    parsers: Parsers,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    match listen {
        EngineSetting::InProcess => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the engine serves on unix:PATH or a loopback address",
        )),
        EngineSetting::Unix(path) => {
            let listener = bind_socket(path).await?;
            axum::serve(listener, engine_app(parsers))
                .with_graceful_shutdown(shutdown)
                .await
        }
        EngineSetting::Loopback(addr) => {
            if !addr.ip().is_loopback() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("{addr} is not a loopback address"),
                ));
            }
            let listener = tokio::net::TcpListener::bind(addr).await?;
            axum::serve(listener, engine_app(parsers))
                .with_graceful_shutdown(shutdown)
                .await
        }
    }
}

/// Binds the socket at `path` readable and writable by its owner and group only (the server
/// runs as the owner or in the group). It is created in a fresh private directory, given its
/// mode, then moved into place, so it is never reachable with looser permissions. A stale
/// socket file is replaced; one an engine still answers on is not.
async fn bind_socket(path: &std::path::Path) -> std::io::Result<tokio::net::UnixListener> {
    use std::os::unix::fs::{DirBuilderExt as _, FileTypeExt as _, PermissionsExt as _};
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if !meta.file_type().is_socket() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!("{} exists and is not a socket", path.display()),
            ));
        }
        if tokio::net::UnixStream::connect(path).await.is_ok() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AddrInUse,
                format!("an engine is already serving on {}", path.display()),
            ));
        }
        std::fs::remove_file(path)?;
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let private = parent.join(format!(".attest-engine-{}", uuid::Uuid::now_v7()));
    std::fs::DirBuilder::new().mode(0o700).create(&private)?;
    let staged = private.join("engine.sock");
    let bound = (|| {
        let listener = std::os::unix::net::UnixListener::bind(&staged)?;
        std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o660))?;
        std::fs::rename(&staged, path)?;
        listener.set_nonblocking(true)?;
        tokio::net::UnixListener::from_std(listener)
    })();
    let _ = std::fs::remove_file(&staged);
    let _ = std::fs::remove_dir(&private);
    bound
}
