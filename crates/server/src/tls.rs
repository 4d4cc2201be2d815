//! TLS: TLS 1.3 and 1.2 only, forward-secret (ECDHE) AEAD suites only, through rustls with the
//! ring provider. A self-signed certificate for localhost is made on first run unless one is
//! configured.

use rustls::crypto::{CryptoProvider, ring};
use rustls::server::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a PEM certificate chain or private key")]
    Pem { path: String },
    #[error("generating the self-signed certificate failed: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("TLS configuration rejected: {0}")]
    Rustls(#[from] rustls::Error),
}

/// Where the certificate chain and its private key are (PEM).
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// A self-signed certificate is replaced when older than this (it is valid for a year).
const SELF_SIGNED_RENEW_AFTER: Duration = Duration::from_secs(300 * 24 * 3600);

/// The self-signed certificate in `dir` for `names` (e.g. `localhost`, `127.0.0.1`), made (or
/// renewed when older than 300 days) as needed. The key file is 0600.
pub fn self_signed(dir: &Path, names: &[String]) -> Result<TlsFiles, TlsError> {
    let files = TlsFiles {
        cert: dir.join("self-signed.crt"),
        key: dir.join("self-signed.key"),
    };
    let fresh = fs::metadata(&files.cert)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|modified| SystemTime::now().duration_since(modified).ok())
        .is_some_and(|age| age < SELF_SIGNED_RENEW_AFTER);
    if fresh && files.key.exists() {
        return Ok(files);
    }
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| TlsError::Io { path, source }
    };
    fs::create_dir_all(dir).map_err(io(dir))?;
    let key = rcgen::KeyPair::generate()?;
    let mut params = rcgen::CertificateParams::new(names.to_vec())?;
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::days(1);
    params.not_after = now + time::Duration::days(365);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Attest (self-signed)");
    let cert = params.self_signed(&key)?;
    let _ = fs::remove_file(&files.key);
    let mut key_file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&files.key)
        .map_err(io(&files.key))?;
    key_file
        .write_all(key.serialize_pem().as_bytes())
        .map_err(io(&files.key))?;
    fs::write(&files.cert, cert.pem()).map_err(io(&files.cert))?;
    tracing::info!(cert = %files.cert.display(), "made a self-signed TLS certificate");
    Ok(files)
}

/// The cipher suites we offer: AEAD with ECDHE key exchange (TLS 1.2), or TLS 1.3's.
fn provider() -> CryptoProvider {
    use ring::cipher_suite::*;
    CryptoProvider {
        cipher_suites: vec![
            TLS13_AES_256_GCM_SHA384,
            TLS13_AES_128_GCM_SHA256,
            TLS13_CHACHA20_POLY1305_SHA256,
            TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ],
        ..ring::default_provider()
    }
}

/// The server's TLS configuration: TLS 1.3 and 1.2 only, HTTP/2 and HTTP/1.1 by ALPN.
pub fn server_config(files: &TlsFiles) -> Result<Arc<ServerConfig>, TlsError> {
    let pem_error = |path: &Path| TlsError::Pem {
        path: path.display().to_string(),
    };
    let certs = CertificateDer::pem_file_iter(&files.cert)
        .map_err(|_| pem_error(&files.cert))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| pem_error(&files.cert))?;
    if certs.is_empty() {
        return Err(pem_error(&files.cert));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key).map_err(|_| pem_error(&files.key))?;
    let mut config = ServerConfig::builder_with_provider(Arc::new(provider()))
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .with_no_client_auth()
        .with_single_cert(certs, key)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
