//! An HTTPS/1.1 client with one keep-alive connection per virtual user, trusting only the
//! server's own certificate. Bodies are read to the end and counted, never kept whole (an export
//! can be large), except where the caller asks for the JSON.

use anyhow::Context as _;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use rustls_pki_types::{CertificateDer, ServerName, pem::PemObject as _};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use tokio_rustls::TlsConnector;

/// Where the server is and how to reach it.
#[derive(Clone)]
pub(crate) struct Target {
    pub(crate) addr: SocketAddr,
    /// `localhost:PORT`, for `Host` and `Origin`.
    pub(crate) authority: String,
    tls: TlsConnector,
}

impl Target {
    /// The server at `addr`, trusted by its certificate (PEM) alone.
    pub(crate) fn new(addr: SocketAddr, certificate: &Path) -> anyhow::Result<Self> {
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_file_iter(certificate)
            .with_context(|| format!("reading {}", certificate.display()))?
        {
            roots.add(cert?)?;
        }
        let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self {
            addr,
            authority: format!("localhost:{}", addr.port()),
            tls: TlsConnector::from(Arc::new(config)),
        })
    }
}

/// What came back.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    /// The body, if asked for; otherwise empty (its bytes were counted and dropped).
    pub(crate) body: Bytes,
}

/// One connection, reopened when the server closes it.
pub(crate) struct Client {
    target: Target,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Client {
    pub(crate) fn new(target: Target) -> Self {
        Self {
            target,
            sender: None,
        }
    }

    async fn connect(&self) -> anyhow::Result<SendRequest<Full<Bytes>>> {
        let tcp = tokio::net::TcpStream::connect(self.target.addr).await?;
        tcp.set_nodelay(true)?;
        let tls = self
            .target
            .tls
            .connect(ServerName::try_from("localhost")?, tcp)
            .await?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls)).await?;
        tokio::spawn(connection);
        Ok(sender)
    }

    /// Sends a request; `keep` says whether the body is wanted (otherwise it is only drained).
    pub(crate) async fn send(
        &mut self,
        method: Method,
        path: &str,
        token: Option<&str>,
        json: Option<&serde_json::Value>,
        keep: bool,
    ) -> anyhow::Result<Answer> {
        let mut sender = match self.sender.take() {
            Some(mut sender) => match sender.ready().await {
                Ok(()) => sender,
                Err(_) => self.connect().await?,
            },
            None => self.connect().await?,
        };
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", &self.target.authority)
            .header("origin", format!("https://{}", self.target.authority));
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let body = match json {
            Some(value) => {
                request = request.header("content-type", "application/json");
                Bytes::from(serde_json::to_vec(value)?)
            }
            None => Bytes::new(),
        };
        let response = sender.send_request(request.body(Full::new(body))?).await?;
        let status = response.status();
        let mut incoming = response.into_body();
        let mut kept = Vec::new();
        while let Some(frame) = incoming.frame().await {
            if let Ok(data) = frame?.into_data()
                && keep
            {
                kept.extend_from_slice(&data);
            }
        }
        self.sender = Some(sender);
        Ok(Answer {
            status,
            body: Bytes::from(kept),
        })
    }

    /// Sends a request whose JSON answer is wanted, insisting on a success.
    pub(crate) async fn json(
        &mut self,
        method: Method,
        path: &str,
        token: Option<&str>,
        json: Option<&serde_json::Value>,
    ) -> anyhow::Result<serde_json::Value> {
        let answer = self.send(method, path, token, json, true).await?;
        anyhow::ensure!(
            answer.status.is_success(),
            "{path}: {} {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
        Ok(serde_json::from_slice(&answer.body)?)
    }
}
