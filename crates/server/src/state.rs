use crate::auth::RateLimits;
use crate::passwords::PasswordPool;
use attest_core::Clock;
use attest_crypto::{KeyEncryptionKey, TokenKeys};
use attest_store::Regions;
use attest_store::accounts::LockPolicy;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Notify;

/// What the application's handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    pub regions: Regions,
    pub kek: Arc<dyn KeyEncryptionKey>,
    pub passwords: PasswordPool,
    /// Where CPU-heavy work runs (analyses, reports, export pages; the password pool's hashes).
    pub cpu: crate::CpuPool,
    /// The workers that parse untrusted files (outside this process).
    pub parsers: crate::parser::Parsers,
    /// How many costly requests run at once, per account and in all.
    pub concurrency: crate::concurrency::Concurrency,
    pub tokens: Arc<TokenKeys>,
    /// The platform key that signs gates' trust bundles (gates pin its public half).
    pub bundle_key: Arc<ed25519_dalek::SigningKey>,
    pub clock: Arc<dyn Clock>,
    pub limits: Arc<RateLimits>,
    /// Wakes the mail worker when a handler has queued mail.
    pub mail_queued: Arc<Notify>,
    /// Readiness changes for open dashboards.
    pub live: crate::LiveUpdates,
    pub settings: Arc<AppSettings>,
}

/// Settings the application (not the listeners) needs.
#[derive(Debug, Clone)]
pub struct AppSettings {
    /// Where users reach Attest (links in mail, the same-origin check).
    pub public_url: String,
    /// Origins other than our own allowed to call the API from a browser (CORS).
    pub cors_origins: Vec<String>,
    /// The built web app (`web/dist`).
    pub web_dir: PathBuf,
    /// Largest accepted JSON body, in bytes.
    pub json_body_limit: usize,
    /// Whether demo data is loaded (shown by the web app).
    pub demo: bool,
    /// Failed sign-ins: delays and lock.
    pub lock_policy: LockPolicy,
    /// Access-token lifetime (at most 10 minutes).
    pub access_token_ttl: time::Duration,
    /// How long the severity counts of an anonymous analysis are kept (the text never is).
    pub anonymous_retention: time::Duration,
    /// Where the requisition engine runs.
    pub engine: crate::EngineSetting,
    /// How often an open live-updates stream checks that its session is still live.
    pub stream_session_check: std::time::Duration,
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            public_url: "https://localhost:8443".to_owned(),
            cors_origins: Vec::new(),
            web_dir: PathBuf::from("web/dist"),
            json_body_limit: 64 * 1024,
            demo: false,
            lock_policy: LockPolicy::default(),
            access_token_ttl: time::Duration::minutes(5),
            anonymous_retention: time::Duration::hours(24),
            engine: crate::EngineSetting::InProcess,
            stream_session_check: std::time::Duration::from_secs(30),
        }
    }
}

/// A unit of work begins in a region's database: a handler passes its state, a job its regions.
impl AsRef<Regions> for AppState {
    fn as_ref(&self) -> &Regions {
        &self.regions
    }
}
