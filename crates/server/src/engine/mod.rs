//! The requisition engine, in this process (the default) or as a separate process the server
//! calls on a unix socket or a loopback port (`attest engine serve`), so the parsing of untrusted
//! documents and the rule matching can run apart from the server, with its own limits. The
//! engine process is never reachable from elsewhere: it listens only on a socket file or on a
//! loopback address.

mod client;
mod service;

pub use service::{engine_app, serve_engine};

use crate::error::AppError;
use crate::parser::{ParseFailure, Parsers};
use attest_reqiq::{ExtractError, Fields, Report};
use http::StatusCode;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Where the server finds the engine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum EngineSetting {
    /// In this process.
    #[default]
    InProcess,
    /// An engine process on a unix socket.
    Unix(PathBuf),
    /// An engine process on a loopback address.
    Loopback(SocketAddr),
}

impl EngineSetting {
    /// `in-process`, `unix:/path/to/engine.sock` or `127.0.0.1:7070` (loopback only).
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        if value.is_empty() || value == "in-process" {
            return Ok(Self::InProcess);
        }
        if let Some(path) = value.strip_prefix("unix:") {
            if path.is_empty() {
                return Err("unix: needs the socket's path".to_owned());
            }
            return Ok(Self::Unix(PathBuf::from(path)));
        }
        let addr: SocketAddr = value.trim_start_matches("http://").parse().map_err(|_| {
            format!("{value:?} is not unix:PATH or a loopback address such as 127.0.0.1:7070")
        })?;
        if !addr.ip().is_loopback() {
            return Err(format!(
                "{addr} is not a loopback address: the engine is reachable only on this machine"
            ));
        }
        Ok(Self::Loopback(addr))
    }
}

/// Runs the engine where the setting says.
pub(crate) async fn analyse(
    setting: &EngineSetting,
    cpu: &crate::CpuPool,
    text: String,
    fields: Fields,
) -> Result<(String, Report), AppError> {
    match setting {
        // The pool's error never quotes a panic's message, which could quote the text.
        EngineSetting::InProcess => {
            cpu.run(move || {
                let report = attest_reqiq::analyze(&text, &fields);
                (text, report)
            })
            .await
        }
        remote => {
            let report = client::analyse(remote, &text, &fields).await?;
            Ok((text, report))
        }
    }
}

/// Extracts a file's text where the setting says (in a parser worker of this server, or in the
/// engine process, which runs its own workers); an unreadable file is a 4xx with the engine's
/// stable code.
pub(crate) async fn extract(
    setting: &EngineSetting,
    parsers: &Parsers,
    bytes: Vec<u8>,
) -> Result<String, AppError> {
    match setting {
        EngineSetting::InProcess => match parsers.extract_text(&bytes).await {
            Ok(result) => result.map_err(|e| extract_error(&e)),
            Err(failure) => Err(failure_error(failure)),
        },
        remote => client::extract(remote, bytes).await,
    }
}

/// Why a worker gave no text, as the engine's codes say it.
pub(crate) fn failure_error(failure: ParseFailure) -> AppError {
    match failure {
        ParseFailure::Busy => extract_error(&ExtractError::Busy),
        ParseFailure::TooDemanding => extract_error(&ExtractError::TooSlow),
        ParseFailure::Broken(detail) => AppError::internal(detail),
    }
}

/// How long a client should wait when every parser worker is busy.
pub(crate) const BUSY_RETRY_SECONDS: u64 = 5;

/// An unreadable file's error, with the engine's stable code.
pub(crate) fn extract_error(e: &ExtractError) -> AppError {
    let status = match e {
        ExtractError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ExtractError::Unsupported => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ExtractError::Busy => {
            return AppError::busy(e.code(), sentence(&e.to_string()), BUSY_RETRY_SECONDS);
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    AppError::client(status, e.code(), sentence(&e.to_string()))
}

/// `the file…` → `The file….`
pub(crate) fn sentence(message: &str) -> String {
    let mut message = message.to_owned();
    if let Some(first) = message.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    if !message.ends_with('.') {
        message.push('.');
    }
    message
}

/// Replaces the panic hook with one that logs where a panic happened but not its message: a
/// panic inside the engine could quote the requisition's text (an anonymous visitor's included),
/// which must never reach the logs. For the server and the engine process.
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(%location, "a task panicked (its message is not logged: it may quote user data)");
    }));
}

#[cfg(test)]
mod tests {
    use super::EngineSetting;

    #[test]
    fn the_engine_is_in_process_on_a_socket_or_on_loopback_only() {
        assert_eq!(EngineSetting::parse(""), Ok(EngineSetting::InProcess));
        assert_eq!(
            EngineSetting::parse("in-process"),
            Ok(EngineSetting::InProcess)
        );
        assert_eq!(
            EngineSetting::parse("unix:/run/attest/engine.sock"),
            Ok(EngineSetting::Unix("/run/attest/engine.sock".into()))
        );
        assert_eq!(
            EngineSetting::parse("127.0.0.1:7070"),
            Ok(EngineSetting::Loopback("127.0.0.1:7070".parse().unwrap()))
        );
        assert!(EngineSetting::parse("http://[::1]:7070").is_ok());
        assert!(EngineSetting::parse("0.0.0.0:7070").is_err());
        assert!(EngineSetting::parse("192.0.2.10:7070").is_err());
        assert!(EngineSetting::parse("unix:").is_err());
        assert!(EngineSetting::parse("engine.internal:7070").is_err());
    }
}
