//! Real sockets: TLS versions and suites, HSTS over TLS, and the plain-HTTP redirect.

use crate::support::TestApp;
use attest_server::Listeners;
use attest_server::tls::{self, TlsFiles};
use rustls::pki_types::{CertificateDer, ServerName, pem::PemObject};
use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

struct Running {
    https: SocketAddr,
    http: SocketAddr,
    files: TlsFiles,
    stop: Option<oneshot::Sender<()>>,
    _app: TestApp,
    _dir: tempfile::TempDir,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn running() -> anyhow::Result<Running> {
    let dir = tempfile::tempdir()?;
    let files = tls::self_signed(
        dir.path(),
        &["localhost".to_owned(), "127.0.0.1".to_owned()],
    )?;
    let config = tls::server_config(&files)?;
    let app = TestApp::new().await?;
    let listeners = Listeners::bind(
        ([127, 0, 0, 1], 0).into(),
        Some(([127, 0, 0, 1], 0).into()),
        config,
    )
    .await?;
    let https = listeners.https_addr()?;
    let http = listeners.http_addr().expect("http listener");
    let (stop, stopped) = oneshot::channel::<()>();
    let router = app.router.clone();
    let public_url = format!("https://localhost:{}", https.port());
    tokio::spawn(async move {
        listeners
            .serve(router, &public_url, async move {
                let _ = stopped.await;
            })
            .await
    });
    Ok(Running {
        https,
        http,
        files,
        stop: Some(stop),
        _app: app,
        _dir: dir,
    })
}

async fn raw_http(
    stream: &mut (impl AsyncReadExt + AsyncWriteExt + Unpin),
    host: &str,
    path: &str,
) -> anyhow::Result<String> {
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    Ok(String::from_utf8_lossy(&response).into_owned())
}

fn client(
    files: &TlsFiles,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> anyhow::Result<tokio_rustls::TlsConnector> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(&files.cert)? {
        roots.add(cert?)?;
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(versions)?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

#[tokio::test]
async fn plain_http_redirects_to_the_same_path_over_https() -> anyhow::Result<()> {
    let server = running().await?;
    let mut tcp = TcpStream::connect(server.http).await?;
    let response = raw_http(
        &mut tcp,
        &format!("localhost:{}", server.http.port()),
        "/sign-in?next=%2Fworkers",
    )
    .await?;
    assert!(response.starts_with("HTTP/1.1 308"), "{response}");
    let location = format!(
        "location: https://localhost:{}/sign-in?next=%2Fworkers",
        server.https.port()
    );
    assert!(
        response.to_lowercase().contains(&location.to_lowercase()),
        "{response}"
    );
    // Another Host, or none: still Attest's own address, never the one the request names.
    for host in ["evil.example", "evil.example:443", ""] {
        let mut tcp = TcpStream::connect(server.http).await?;
        let response = raw_http(&mut tcp, host, "/reset-password").await?;
        assert!(response.starts_with("HTTP/1.1 308"), "{response}");
        let expected = format!(
            "location: https://localhost:{}/reset-password",
            server.https.port()
        );
        assert!(
            response.to_lowercase().contains(&expected),
            "{host}: {response}"
        );
        assert!(!response.contains("evil.example"), "{response}");
    }
    Ok(())
}

/// The API is never redirected from plain HTTP (ASVS 5.0 V4.1.2): a caller that sent its token
/// in the clear is told so with a stable code, and no `Location` to follow.
#[tokio::test]
async fn the_api_over_plain_http_is_refused_not_redirected() -> anyhow::Result<()> {
    let server = running().await?;
    for path in ["/api/v1/me", "/api/v1/auth/sign-in", "/api"] {
        let mut tcp = TcpStream::connect(server.http).await?;
        let response =
            raw_http(&mut tcp, &format!("localhost:{}", server.http.port()), path).await?;
        assert!(response.starts_with("HTTP/1.1 400"), "{path}: {response}");
        assert!(
            response.contains("\"code\":\"https_required\""),
            "{path}: {response}"
        );
        assert!(
            !response.to_lowercase().contains("location:"),
            "{path}: {response}"
        );
    }
    // A path that merely starts with the letters is a page, and is redirected.
    let mut tcp = TcpStream::connect(server.http).await?;
    let response = raw_http(&mut tcp, "localhost", "/apiary").await?;
    assert!(response.starts_with("HTTP/1.1 308"), "{response}");
    Ok(())
}

#[tokio::test]
async fn https_serves_with_hsts_over_tls_1_3_and_1_2() -> anyhow::Result<()> {
    let server = running().await?;
    for versions in [
        &[&rustls::version::TLS13][..],
        &[&rustls::version::TLS12][..],
    ] {
        let connector = client(&server.files, versions)?;
        let tcp = TcpStream::connect(server.https).await?;
        let mut tls = connector
            .connect(ServerName::try_from("localhost")?, tcp)
            .await?;
        let negotiated = tls.get_ref().1.protocol_version();
        assert_eq!(negotiated, Some(versions[0].version));
        let response = raw_http(&mut tls, "localhost", "/healthz").await?;
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(
            response
                .to_lowercase()
                .contains("strict-transport-security: max-age=63072000; includesubdomains"),
            "{response}"
        );
    }
    Ok(())
}

/// Runs `openssl s_client` against the server; true if the handshake completed.
fn openssl_handshake(addr: SocketAddr, args: &[&str]) -> anyhow::Result<bool> {
    let output = Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &addr.to_string(),
            "-servername",
            "localhost",
        ])
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| anyhow::anyhow!("the openssl command is needed for this test: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    Ok(output.status.success() && text.contains("Cipher is") && !text.contains("Cipher is (NONE)"))
}

#[tokio::test(flavor = "multi_thread")]
async fn old_protocols_and_suites_without_forward_secrecy_are_refused() -> anyhow::Result<()> {
    let server = running().await?;
    let addr = server.https;
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        // Controls: the same client completes modern handshakes.
        assert!(openssl_handshake(addr, &["-tls1_3"])?, "TLS 1.3 must work");
        assert!(openssl_handshake(addr, &["-tls1_2"])?, "TLS 1.2 must work");
        // SECLEVEL=0 lets this client offer what OpenSSL 3 would not by default.
        assert!(
            !openssl_handshake(addr, &["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"])?,
            "TLS 1.1 must be refused"
        );
        assert!(
            !openssl_handshake(addr, &["-tls1", "-cipher", "DEFAULT@SECLEVEL=0"])?,
            "TLS 1.0 must be refused"
        );
        for cipher in [
            "AES128-GCM-SHA256",
            "AES256-SHA",
            "ECDHE-ECDSA-AES128-SHA",
            "ECDHE-ECDSA-AES256-SHA384",
        ] {
            assert!(
                !openssl_handshake(addr, &["-tls1_2", "-cipher", cipher])?,
                "{cipher} must be refused"
            );
        }
        Ok(())
    })
    .await??;
    Ok(())
}

#[tokio::test]
async fn the_self_signed_certificate_is_reused_and_its_key_is_private() -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir()?;
    let names = ["localhost".to_owned()];
    let first = tls::self_signed(dir.path(), &names)?;
    let pem = std::fs::read(&first.cert)?;
    let second = tls::self_signed(dir.path(), &names)?;
    assert_eq!(
        std::fs::read(&second.cert)?,
        pem,
        "not regenerated on every start"
    );
    assert_eq!(
        std::fs::metadata(&first.key)?.permissions().mode() & 0o777,
        0o600
    );
    Ok(())
}
