//! Mail through a real SMTP server process (Python's aiosmtpd, from the test virtualenv that
//! `make test` prepares): the verification mail arrives, and its link verifies the account. And
//! when the server is down, delivery is retried later.

use crate::accounts::link_token;
use crate::support::{TestApp, new_org};
use attest_server::{Mailer, deliver_due};
use http::StatusCode;
use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct SmtpServer {
    child: Child,
    port: u16,
    maildir: tempfile::TempDir,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python() -> PathBuf {
    std::env::var_os("ATTEST_TEST_PYTHON").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python"),
        PathBuf::from,
    )
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

async fn smtp_server() -> anyhow::Result<SmtpServer> {
    let maildir = tempfile::tempdir()?;
    let port = free_port()?;
    let child = Command::new(python())
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
        ])
        .arg(maildir.path().join("Maildir"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            anyhow::anyhow!(
                "the test virtualenv's python with aiosmtpd is needed ({}): {e}",
                python().display()
            )
        })?;
    // Wait until it accepts connections (no sleep-and-hope: poll the port).
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(SmtpServer {
                child,
                port,
                maildir,
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("aiosmtpd did not start")
}

fn delivered(server: &SmtpServer) -> anyhow::Result<Vec<String>> {
    let new = server.maildir.path().join("Maildir/new");
    let mut messages = Vec::new();
    if new.exists() {
        for entry in std::fs::read_dir(new)? {
            messages.push(std::fs::read_to_string(entry?.path())?);
        }
    }
    Ok(messages)
}

/// Undoes quoted-printable soft line breaks and `=3D`, as a mail client would.
fn decode(message: &str) -> String {
    message
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

#[tokio::test]
async fn a_real_smtp_server_receives_the_verification_mail_and_its_link_verifies_the_account()
-> anyhow::Result<()> {
    let server = smtp_server().await?;
    let app = TestApp::new().await?;
    let mailer = Mailer::smtp(
        &format!("smtp://127.0.0.1:{}", server.port),
        "Attest <attest@attest.test>",
    )?;
    assert_eq!(
        app.post_json("/api/v1/organisations", &new_org("acme", "na"))
            .await?
            .status,
        StatusCode::CREATED
    );
    let sent = deliver_due(&app.state.regions, &mailer, app.clock.as_ref()).await;
    assert_eq!(sent, 1);
    let messages = delivered(&server)?;
    assert_eq!(messages.len(), 1);
    let message = decode(&messages[0]);
    assert!(message.contains("To: ada@acme.example"), "{message}");
    assert!(
        message.contains("From: Attest <attest@attest.test>"),
        "{message}"
    );
    let r = app
        .post_json(
            "/api/v1/auth/verify-email",
            &json!({ "token": link_token(&message) }),
        )
        .await?;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let sent_at: Option<time::OffsetDateTime> =
        sqlx::query_scalar("select sent_at from attest.outbox")
            .fetch_one(&app.db.na.superuser)
            .await?;
    assert!(sent_at.is_some(), "recorded as sent");
    assert_eq!(
        deliver_due(&app.state.regions, &mailer, app.clock.as_ref()).await,
        0,
        "sent once"
    );
    Ok(())
}

#[tokio::test]
async fn mail_is_retried_with_backoff_when_the_smtp_server_is_down() -> anyhow::Result<()> {
    let app = TestApp::new().await?;
    let down = Mailer::smtp(
        &format!("smtp://127.0.0.1:{}", free_port()?),
        "attest@attest.test",
    )?;
    app.post_json("/api/v1/organisations", &new_org("acme", "na"))
        .await?;
    assert_eq!(
        deliver_due(&app.state.regions, &down, app.clock.as_ref()).await,
        0
    );
    let (attempts, error): (i32, Option<String>) =
        sqlx::query_as("select attempts, last_error from attest.outbox")
            .fetch_one(&app.db.na.superuser)
            .await?;
    assert_eq!(attempts, 1);
    assert!(error.is_some());
    assert_eq!(
        deliver_due(&app.state.regions, &down, app.clock.as_ref()).await,
        0,
        "not retried before the backoff"
    );
    let server = smtp_server().await?;
    let up = Mailer::smtp(
        &format!("smtp://127.0.0.1:{}", server.port),
        "attest@attest.test",
    )?;
    app.clock.advance(time::Duration::minutes(3));
    assert_eq!(
        deliver_due(&app.state.regions, &up, app.clock.as_ref()).await,
        1
    );
    assert_eq!(delivered(&server)?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn without_smtp_mail_is_written_to_files() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let app = TestApp::new().await?;
    let files = Mailer::files(dir.path(), "Attest <attest@localhost>")?;
    app.post_json("/api/v1/organisations", &new_org("acme", "na"))
        .await?;
    assert_eq!(
        deliver_due(&app.state.regions, &files, app.clock.as_ref()).await,
        1
    );
    let written: Vec<_> = std::fs::read_dir(dir.path())?.collect::<Result<_, _>>()?;
    assert_eq!(written.len(), 1);
    let text = decode(&std::fs::read_to_string(written[0].path())?);
    assert!(text.contains("verify-email#token="));
    Ok(())
}
