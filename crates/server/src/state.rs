use crate::passwords::PasswordPool;
use attest_crypto::KeyEncryptionKey;
use attest_store::Regions;
use std::path::PathBuf;
use std::sync::Arc;

/// What the application's handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    pub regions: Regions,
    pub kek: Arc<dyn KeyEncryptionKey>,
    pub passwords: PasswordPool,
    pub settings: Arc<AppSettings>,
}

/// Settings the application (not the listeners) needs.
#[derive(Debug, Clone)]
pub struct AppSettings {
    /// Origins other than our own allowed to call the API from a browser (CORS).
    pub cors_origins: Vec<String>,
    /// The built web app (`web/dist`).
    pub web_dir: PathBuf,
    /// Largest accepted JSON body, in bytes.
    pub json_body_limit: usize,
    /// Whether demo data is loaded (shown by the web app).
    pub demo: bool,
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            cors_origins: Vec::new(),
            web_dir: PathBuf::from("web/dist"),
            json_body_limit: 64 * 1024,
            demo: false,
        }
    }
}
