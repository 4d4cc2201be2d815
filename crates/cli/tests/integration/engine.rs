//! `attest engine serve`: the engine as its own process on a unix socket (owner and group) answers
//! analyses over HTTP; it refuses any address that is not loopback; the server refuses an
//! engine setting that is not a socket or loopback.

use super::attest;
use std::io::{Read as _, Write as _};
use std::os::unix::fs::PermissionsExt as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Sends one HTTP/1.1 request over the socket and returns the response. The request goes out
/// in one write: an engine may answer (and close) as soon as it has read the headers.
fn request(socket: &std::path::Path, host: &str, body: &str) -> anyhow::Result<String> {
    let mut stream = std::os::unix::net::UnixStream::connect(socket)?;
    let request = format!(
        "POST /v1/analyze HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes())?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}

/// The engine process, killed however the test ends (a panic included), so that it never holds
/// the test's output open.
struct Engine(std::process::Child);

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_engine_serves_on_an_owner_and_group_socket() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let socket = dir.path().join("engine.sock");
    let _engine = Engine(
        Command::new(env!("CARGO_BIN_EXE_attest"))
            .args(["engine", "serve", "--socket"])
            .arg(&socket)
            .env("ATTEST_DATA_DIR", dir.path())
            .env("ATTEST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?,
    );
    let started = Instant::now();
    while !socket.exists() && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(50));
    }
    {
        assert_eq!(
            std::fs::metadata(&socket)?.permissions().mode() & 0o777,
            0o660
        );
        let answer = request(
            &socket,
            "attest-engine",
            r#"{"text": "Cashier. No felons.", "fields": {"work_state": "CA"}}"#,
        )?;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(
            answer.contains("criminal_history.blanket_exclusion"),
            "{answer}"
        );
        assert!(answer.contains(attest_reqiq::RULE_PACK_VERSION), "{answer}");
        let refused = request(&socket, "attest-engine", r#"{"text": "x", "unknown": 1}"#)?;
        assert!(refused.starts_with("HTTP/1.1 422"), "{refused}");
        let rebound = request(&socket, "evil.example", r#"{"text": "No felons."}"#)?;
        assert!(
            rebound.starts_with("HTTP/1.1 421"),
            "another Host is refused: {rebound}"
        );
        // A second engine on the same socket is refused while the first answers.
        let second = Command::new(env!("CARGO_BIN_EXE_attest"))
            .args(["engine", "serve", "--socket"])
            .arg(&socket)
            .env("ATTEST_DATA_DIR", dir.path())
            .env("ATTEST_LOG", "warn")
            .output()?;
        assert!(!second.status.success());
        assert!(
            String::from_utf8_lossy(&second.stderr).contains("already serving"),
            "{}",
            String::from_utf8_lossy(&second.stderr)
        );
    }
    Ok(())
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
