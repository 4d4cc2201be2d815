//! `attest engine serve`: the engine as its own process on a unix socket (owner-only) answers
//! analyses over HTTP; it refuses any address that is not loopback; the server refuses an
//! engine setting that is not a socket or loopback.

use super::attest;
use std::io::{Read as _, Write as _};
use std::os::unix::fs::PermissionsExt as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Sends one HTTP/1.1 request over the socket and returns the response.
fn request(socket: &std::path::Path, body: &str) -> anyhow::Result<String> {
    let mut stream = std::os::unix::net::UnixStream::connect(socket)?;
    write!(
        stream,
        "POST /v1/analyze HTTP/1.1\r\nHost: engine\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}

#[test]
fn the_engine_serves_on_an_owner_only_socket() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let socket = dir.path().join("engine.sock");
    let mut child = Command::new(env!("CARGO_BIN_EXE_attest"))
        .args(["engine", "serve", "--socket"])
        .arg(&socket)
        .env("ATTEST_DATA_DIR", dir.path())
        .env("ATTEST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()?;
    let started = Instant::now();
    while !socket.exists() && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let result = (|| -> anyhow::Result<()> {
        assert_eq!(
            std::fs::metadata(&socket)?.permissions().mode() & 0o777,
            0o600
        );
        let answer = request(
            &socket,
            r#"{"text": "Cashier. No felons.", "fields": {"work_state": "CA"}}"#,
        )?;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(
            answer.contains("criminal_history.blanket_exclusion"),
            "{answer}"
        );
        assert!(answer.contains(attest_reqiq::RULE_PACK_VERSION), "{answer}");
        let refused = request(&socket, r#"{"text": "x", "unknown": 1}"#)?;
        assert!(refused.starts_with("HTTP/1.1 422"), "{refused}");
        Ok(())
    })();
    let _ = child.kill();
    let _ = child.wait();
    result
}

#[test]
fn the_engine_listens_on_loopback_only() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = attest(
        &["engine", "serve", "--listen", "0.0.0.0:7070"],
        &[],
        dir.path(),
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a loopback address"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = attest(&["engine", "serve"], &[], dir.path());
    assert!(!out.status.success(), "a place is required");
    let out = attest(
        &["migrate"],
        &[("ATTEST_ENGINE", "192.0.2.1:7070")],
        dir.path(),
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ATTEST_ENGINE"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}
