//! One typed configuration, read once at start-up from an optional file (`KEY=value` lines, the
//! same keys as the environment) and the environment, which wins. Every key is documented in
//! `.env.example`; a test keeps the two in step.

use anyhow::{Context as _, bail};
use attest_core::Region;
use secrecy::SecretString;
use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Every configuration key.
pub(crate) const KEYS: &[&str] = &[
    "ATTEST_DATA_DIR",
    "DATABASE_URL",
    "ATTEST_DATABASE_URL_CA",
    "ATTEST_MIGRATION_URL",
    "ATTEST_MIGRATION_URL_CA",
    "ATTEST_PG_DIR",
    "ATTEST_PG_BIN_DIR",
    "ATTEST_PG_USER",
    "ATTEST_DB_MAX_CONNECTIONS",
    "ATTEST_HTTPS_ADDR",
    "ATTEST_HTTP_ADDR",
    "ATTEST_PUBLIC_URL",
    "ATTEST_TLS_CERT",
    "ATTEST_TLS_KEY",
    "ATTEST_TLS_NAMES",
    "ATTEST_CORS_ORIGINS",
    "ATTEST_WEB_DIR",
    "ATTEST_PASSWORD_HASH_CONCURRENCY",
    "ATTEST_CPU_THREADS",
    "ATTEST_CPU_NICE",
    "ATTEST_RATE_LIMIT_PER_MINUTE",
    "ATTEST_RATE_LIMIT_BURST",
    "ATTEST_ANALYSIS_RATE_LIMIT_PER_MINUTE",
    "ATTEST_ANONYMOUS_RETENTION_HOURS",
    "ATTEST_ENGINE",
    "ATTEST_PARSER_MEMORY_MB",
    "ATTEST_PARSER_DEADLINE_SECONDS",
    "ATTEST_PARSER_WORKERS",
    "ATTEST_KEK",
    "ATTEST_VAULT_ADDR",
    "ATTEST_VAULT_MOUNT",
    "ATTEST_VAULT_KEY",
    "ATTEST_VAULT_TOKEN",
    "ATTEST_VAULT_APPROLE_MOUNT",
    "ATTEST_VAULT_ROLE_ID",
    "ATTEST_VAULT_SECRET_ID",
    "ATTEST_VAULT_CACERT",
    "ATTEST_KEK_ROTATION_DAYS",
    "ATTEST_SMTP_URL",
    "ATTEST_MAIL_FROM",
    "ATTEST_DEMO",
    "ATTEST_LOG",
    "ATTEST_LOG_FORMAT",
];

/// Which key-encryption-key provider wraps the data keys (`ATTEST_KEK`).
#[derive(Debug, Clone)]
pub(crate) enum KekSetting {
    /// A key file in the data directory (the embedded default).
    Local,
    /// A Vault / OpenBao Transit key, which the service rotates every `rotation_days` (0: only
    /// by `attest keys rotate-kek`).
    Vault {
        settings: attest_kms::VaultSettings,
        rotation_days: u32,
    },
}

/// `ATTEST_KEK` and, for `vault`, where the service is and how to sign in to it: a token, or an
/// AppRole's role id and secret id.
fn kek_setting(source: &Source) -> anyhow::Result<KekSetting> {
    match source.get("ATTEST_KEK").map(str::trim).unwrap_or("local") {
        "local" => Ok(KekSetting::Local),
        "vault" => {
            let required = |key: &str| {
                source
                    .get(key)
                    .map(|v| v.trim().to_owned())
                    .ok_or_else(|| anyhow::anyhow!("ATTEST_KEK=vault needs {key}"))
            };
            let secret = |key: &str| {
                source
                    .get(key)
                    .map(|v| SecretString::from(v.trim().to_owned()))
            };
            let auth = match (
                secret("ATTEST_VAULT_TOKEN"),
                source.get("ATTEST_VAULT_ROLE_ID"),
            ) {
                (Some(token), None) => attest_kms::VaultAuth::Token(token),
                (None, Some(role_id)) => attest_kms::VaultAuth::AppRole {
                    mount: source
                        .get("ATTEST_VAULT_APPROLE_MOUNT")
                        .unwrap_or("approle")
                        .trim()
                        .to_owned(),
                    role_id: role_id.trim().to_owned(),
                    secret_id: secret("ATTEST_VAULT_SECRET_ID").ok_or_else(|| {
                        anyhow::anyhow!("ATTEST_VAULT_ROLE_ID needs ATTEST_VAULT_SECRET_ID")
                    })?,
                },
                _ => bail!(
                    "ATTEST_KEK=vault needs either ATTEST_VAULT_TOKEN or ATTEST_VAULT_ROLE_ID \
                     with ATTEST_VAULT_SECRET_ID"
                ),
            };
            let mut settings = attest_kms::VaultSettings::new(
                required("ATTEST_VAULT_ADDR")?,
                source.get("ATTEST_VAULT_KEY").unwrap_or("attest").trim(),
                auth,
            );
            if let Some(mount) = source.get("ATTEST_VAULT_MOUNT") {
                mount.trim().clone_into(&mut settings.mount);
            }
            settings.ca_cert = source.get("ATTEST_VAULT_CACERT").map(PathBuf::from);
            let rotation_days = source.parse("ATTEST_KEK_ROTATION_DAYS", 90u32)?.min(3650);
            Ok(KekSetting::Vault {
                settings,
                rotation_days,
            })
        }
        other => bail!("ATTEST_KEK={other:?} is not valid: use local or vault"),
    }
}

/// Where the data lives.
pub(crate) enum Database {
    /// The embedded default: a private cluster in the data directory.
    Embedded {
        pg_dir: PathBuf,
        bin_dir: Option<PathBuf>,
        pg_user: String,
    },
    /// Existing servers, one database per region.
    External(Vec<ExternalRegion>),
}

pub(crate) struct ExternalRegion {
    pub(crate) region: Region,
    pub(crate) app_url: SecretString,
    pub(crate) migration_url: Option<SecretString>,
}

/// The whole configuration. Secrets (database URLs) are `SecretString`s and `Debug` hides them.
pub(crate) struct Config {
    pub(crate) data_dir: PathBuf,
    pub(crate) database: Database,
    pub(crate) db_max_connections: u32,
    pub(crate) https_addr: SocketAddr,
    pub(crate) http_addr: Option<SocketAddr>,
    pub(crate) public_url: String,
    pub(crate) tls_cert: Option<(PathBuf, PathBuf)>,
    pub(crate) tls_names: Vec<String>,
    pub(crate) cors_origins: Vec<String>,
    pub(crate) web_dir: PathBuf,
    pub(crate) password_hash_concurrency: usize,
    /// Where CPU-heavy work runs: threads, and how much their priority is lowered.
    pub(crate) cpu_pool: attest_server::CpuPoolSettings,
    /// Per-IP limit on unauthenticated endpoints: requests a minute, and burst.
    pub(crate) rate_limit: (u32, u32),
    /// Anonymous requisition analyses per IP a minute (bursts of half that).
    pub(crate) analysis_rate_limit: u32,
    /// How long the severity counts of an anonymous analysis are kept, in hours.
    pub(crate) anonymous_retention_hours: u32,
    /// Where the requisition engine runs (in this process unless set).
    pub(crate) engine: attest_server::EngineSetting,
    /// Untrusted files are parsed in worker processes: each one's memory (MiB) and time
    /// (seconds), and how many at once.
    pub(crate) parser_memory_mb: u64,
    pub(crate) parser_deadline_seconds: u64,
    pub(crate) parser_workers: usize,
    /// Which key-encryption-key provider wraps the data keys.
    pub(crate) kek: KekSetting,
    /// `None`: mail is written to files in the data directory.
    pub(crate) smtp_url: Option<SecretString>,
    pub(crate) mail_from: String,
    pub(crate) demo: bool,
    pub(crate) log_filter: String,
    pub(crate) log_json: bool,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let database = match &self.database {
            Database::Embedded { pg_dir, .. } => format!("embedded at {}", pg_dir.display()),
            Database::External(regions) => {
                let names: Vec<_> = regions.iter().map(|r| r.region.code()).collect();
                format!("external ({}; URLs hidden)", names.join(", "))
            }
        };
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("database", &database)
            .field("https_addr", &self.https_addr)
            .field("http_addr", &self.http_addr)
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

/// The raw `KEY=value` settings: the file's, overridden by the environment's.
#[derive(Debug, Default)]
pub(crate) struct Source(BTreeMap<String, String>);

impl Source {
    /// Reads the optional file, then the environment.
    pub(crate) fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut values = BTreeMap::new();
        if let Some(path) = file {
            let entries = dotenvy::from_path_iter(path)
                .with_context(|| format!("reading {}", path.display()))?;
            for entry in entries {
                let (key, value) = entry.with_context(|| format!("parsing {}", path.display()))?;
                if !KEYS.contains(&key.as_str()) {
                    bail!(
                        "{}: unknown setting {key} (see .env.example for every setting)",
                        path.display()
                    );
                }
                values.insert(key, value);
            }
        }
        for key in KEYS {
            if let Ok(value) = std::env::var(key) {
                values.insert((*key).to_owned(), value);
            }
        }
        Ok(Self(values))
    }

    #[cfg(test)]
    pub(crate) fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        Self(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    fn parse<T: std::str::FromStr>(&self, key: &str, default: T) -> anyhow::Result<T>
    where
        T::Err: fmt::Display,
    {
        match self.get(key) {
            None => Ok(default),
            Some(raw) => raw
                .trim()
                .parse()
                .map_err(|e| anyhow::anyhow!("{key}={raw:?} is not valid: {e}")),
        }
    }

    fn list(&self, key: &str, default: &[&str]) -> Vec<String> {
        match self.get(key) {
            None => default.iter().map(|s| (*s).to_owned()).collect(),
            Some(raw) => raw
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }
}

impl Config {
    pub(crate) fn from_source(source: &Source) -> anyhow::Result<Self> {
        let data_dir = source
            .get("ATTEST_DATA_DIR")
            .map_or_else(default_data_dir, PathBuf::from);
        let database = match source.get("DATABASE_URL") {
            None => Database::Embedded {
                pg_dir: source
                    .get("ATTEST_PG_DIR")
                    .map_or_else(|| data_dir.join("postgres"), PathBuf::from),
                bin_dir: source.get("ATTEST_PG_BIN_DIR").map(PathBuf::from),
                pg_user: source
                    .get("ATTEST_PG_USER")
                    .unwrap_or("postgres")
                    .to_owned(),
            },
            Some(na) => {
                let mut regions = vec![ExternalRegion {
                    region: Region::Na,
                    app_url: na.to_owned().into(),
                    migration_url: source
                        .get("ATTEST_MIGRATION_URL")
                        .map(|u| u.to_owned().into()),
                }];
                if let Some(ca) = source.get("ATTEST_DATABASE_URL_CA") {
                    regions.push(ExternalRegion {
                        region: Region::Ca,
                        app_url: ca.to_owned().into(),
                        migration_url: source
                            .get("ATTEST_MIGRATION_URL_CA")
                            .map(|u| u.to_owned().into()),
                    });
                }
                Database::External(regions)
            }
        };
        let https_addr: SocketAddr = source.parse(
            "ATTEST_HTTPS_ADDR",
            SocketAddr::from(([127, 0, 0, 1], 8443)),
        )?;
        let http_addr = match source.get("ATTEST_HTTP_ADDR") {
            Some("off") => None,
            _ => Some(source.parse("ATTEST_HTTP_ADDR", SocketAddr::from(([127, 0, 0, 1], 8080)))?),
        };
        let tls_cert = match (source.get("ATTEST_TLS_CERT"), source.get("ATTEST_TLS_KEY")) {
            (Some(cert), Some(key)) => Some((PathBuf::from(cert), PathBuf::from(key))),
            (None, None) => None,
            _ => bail!(
                "set both ATTEST_TLS_CERT and ATTEST_TLS_KEY, or neither (for a self-signed certificate)"
            ),
        };
        let log_json = match source.get("ATTEST_LOG_FORMAT").unwrap_or("text") {
            "text" => false,
            "json" => true,
            other => bail!("ATTEST_LOG_FORMAT={other:?} is not valid: use text or json"),
        };
        let password_hash_concurrency = source.parse("ATTEST_PASSWORD_HASH_CONCURRENCY", 2usize)?;
        if password_hash_concurrency == 0 {
            bail!("ATTEST_PASSWORD_HASH_CONCURRENCY must be at least 1");
        }
        let cpu_default = attest_server::CpuPoolSettings::default();
        let cpu_pool = attest_server::CpuPoolSettings {
            threads: source.parse("ATTEST_CPU_THREADS", cpu_default.threads)?,
            nice: source.parse("ATTEST_CPU_NICE", cpu_default.nice)?,
        };
        if cpu_pool.threads == 0 {
            bail!("ATTEST_CPU_THREADS must be at least 1");
        }
        if !(0..=19).contains(&cpu_pool.nice) {
            bail!("ATTEST_CPU_NICE must be between 0 and 19");
        }
        Ok(Self {
            database,
            db_max_connections: source.parse("ATTEST_DB_MAX_CONNECTIONS", 10u32)?.max(1),
            public_url: source.get("ATTEST_PUBLIC_URL").map_or_else(
                || public_url_for(https_addr),
                |u| u.trim_end_matches('/').to_owned(),
            ),
            https_addr,
            http_addr,
            tls_cert,
            tls_names: source.list("ATTEST_TLS_NAMES", &["localhost", "127.0.0.1", "::1"]),
            cors_origins: source.list("ATTEST_CORS_ORIGINS", &[]),
            web_dir: source
                .get("ATTEST_WEB_DIR")
                .map_or_else(|| PathBuf::from("web/dist"), PathBuf::from),
            password_hash_concurrency,
            cpu_pool,
            rate_limit: (
                source.parse("ATTEST_RATE_LIMIT_PER_MINUTE", 30u32)?.max(1),
                source.parse("ATTEST_RATE_LIMIT_BURST", 20u32)?.max(1),
            ),
            analysis_rate_limit: source
                .parse("ATTEST_ANALYSIS_RATE_LIMIT_PER_MINUTE", 10u32)?
                .max(1),
            anonymous_retention_hours: source
                .parse("ATTEST_ANONYMOUS_RETENTION_HOURS", 24u32)?
                .clamp(1, 24 * 30),
            engine: attest_server::EngineSetting::parse(source.get("ATTEST_ENGINE").unwrap_or(""))
                .map_err(|e| anyhow::anyhow!("ATTEST_ENGINE: {e}"))?,
            parser_memory_mb: source
                .parse("ATTEST_PARSER_MEMORY_MB", 512u64)?
                .clamp(64, 64 * 1024),
            parser_deadline_seconds: source
                .parse("ATTEST_PARSER_DEADLINE_SECONDS", 15u64)?
                .clamp(1, 600),
            parser_workers: source.parse("ATTEST_PARSER_WORKERS", 4usize)?.clamp(1, 256),
            kek: kek_setting(source)?,
            smtp_url: source
                .get("ATTEST_SMTP_URL")
                .map(|u| SecretString::from(u.to_owned())),
            mail_from: source
                .get("ATTEST_MAIL_FROM")
                .unwrap_or("Attest <attest@localhost>")
                .to_owned(),
            demo: source.parse("ATTEST_DEMO", false)?,
            log_filter: source
                .get("ATTEST_LOG")
                .unwrap_or("info,sqlx=warn")
                .to_owned(),
            log_json,
            data_dir,
        })
    }
}

impl Config {
    /// How this program's parser workers are started and limited.
    pub(crate) fn parser_setting(&self) -> anyhow::Result<attest_server::ParserSetting> {
        let mut setting = attest_server::ParserSetting::this_program()?;
        setting.memory_limit = self.parser_memory_mb * 1024 * 1024;
        setting.deadline = std::time::Duration::from_secs(self.parser_deadline_seconds);
        setting.max_workers = self.parser_workers;
        Ok(setting)
    }
}

/// `/var/lib/attest` for root (reachable by the cluster's system user), otherwise the user's
/// data directory.
fn default_data_dir() -> PathBuf {
    if nix::unistd::geteuid().is_root() {
        return PathBuf::from("/var/lib/attest");
    }
    std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("attest")
}

fn public_url_for(addr: SocketAddr) -> String {
    match addr.port() {
        443 => "https://localhost".to_owned(),
        port => format!("https://localhost:{port}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_documented_in_the_env_example() {
        let example = include_str!("../../../.env.example");
        for key in KEYS {
            assert!(
                example.contains(&format!("{key}=")),
                "{key} is missing from .env.example"
            );
        }
    }

    #[test]
    fn the_env_example_documents_no_unknown_key() {
        let example = include_str!("../../../.env.example");
        for line in example.lines() {
            let line = line.trim_start_matches('#').trim();
            if let Some((key, _)) = line.split_once('=')
                && !key.is_empty()
                && key.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            {
                assert!(
                    KEYS.contains(&key),
                    "{key} in .env.example is not a setting"
                );
            }
        }
    }

    #[test]
    fn the_kek_is_local_unless_vault_is_configured_completely() {
        let kek =
            |pairs: &[(&str, &str)]| Config::from_source(&Source::from_pairs(pairs)).map(|c| c.kek);
        assert!(matches!(kek(&[]), Ok(KekSetting::Local)));
        let Ok(KekSetting::Vault {
            settings: v,
            rotation_days: 90,
        }) = kek(&[
            ("ATTEST_KEK", "vault"),
            ("ATTEST_VAULT_ADDR", "https://vault.internal:8200/"),
            ("ATTEST_VAULT_TOKEN", "s.secret"),
        ])
        else {
            panic!("a token is enough");
        };
        assert_eq!(
            (v.address.as_str(), v.mount.as_str(), v.key.as_str()),
            ("https://vault.internal:8200", "transit", "attest")
        );
        assert!(matches!(v.auth, attest_kms::VaultAuth::Token(_)));
        assert!(
            !format!("{v:?}").contains("s.secret"),
            "the token is never shown"
        );
        let Ok(KekSetting::Vault {
            settings: v,
            rotation_days: 0,
        }) = kek(&[
            ("ATTEST_KEK_ROTATION_DAYS", "0"),
            ("ATTEST_KEK", "vault"),
            ("ATTEST_VAULT_ADDR", "https://vault.internal:8200"),
            ("ATTEST_VAULT_ROLE_ID", "role"),
            ("ATTEST_VAULT_SECRET_ID", "secret"),
            ("ATTEST_VAULT_KEY", "attest-na"),
        ])
        else {
            panic!("an AppRole is enough");
        };
        assert!(matches!(v.auth, attest_kms::VaultAuth::AppRole { .. }));
        assert_eq!(v.key, "attest-na");
        for (pairs, says) in [
            (vec![("ATTEST_KEK", "kms")], "ATTEST_KEK"),
            (
                vec![("ATTEST_KEK", "vault"), ("ATTEST_VAULT_TOKEN", "t")],
                "ATTEST_VAULT_ADDR",
            ),
            (
                vec![("ATTEST_KEK", "vault"), ("ATTEST_VAULT_ADDR", "https://v")],
                "ATTEST_VAULT_TOKEN",
            ),
            (
                vec![
                    ("ATTEST_KEK", "vault"),
                    ("ATTEST_VAULT_ADDR", "https://v"),
                    ("ATTEST_VAULT_ROLE_ID", "r"),
                ],
                "ATTEST_VAULT_SECRET_ID",
            ),
        ] {
            let Err(error) = kek(&pairs) else {
                panic!("{pairs:?} is not enough");
            };
            assert!(error.to_string().contains(says), "{pairs:?}: {error}");
        }
    }

    #[test]
    fn without_a_database_url_the_embedded_default_is_used() {
        let config =
            Config::from_source(&Source::from_pairs(&[("ATTEST_DATA_DIR", "/srv/attest")]))
                .unwrap();
        match config.database {
            Database::Embedded { pg_dir, .. } => {
                assert_eq!(pg_dir, PathBuf::from("/srv/attest/postgres"))
            }
            Database::External(_) => panic!("expected the embedded default"),
        }
        assert_eq!(config.public_url, "https://localhost:8443");
        assert_eq!(
            config.http_addr,
            Some(SocketAddr::from(([127, 0, 0, 1], 8080)))
        );
    }

    #[test]
    fn database_urls_select_external_regions() {
        let config = Config::from_source(&Source::from_pairs(&[
            ("DATABASE_URL", "postgres://app:pw@db-na/attest"),
            ("ATTEST_DATABASE_URL_CA", "postgres://app:pw@db-ca/attest"),
        ]))
        .unwrap();
        let Database::External(regions) = &config.database else {
            panic!("expected external")
        };
        assert_eq!(
            regions.iter().map(|r| r.region).collect::<Vec<_>>(),
            [Region::Na, Region::Ca]
        );
    }

    #[test]
    fn debug_output_never_shows_database_urls() {
        let config = Config::from_source(&Source::from_pairs(&[(
            "DATABASE_URL",
            "postgres://app:hunter2-secret@db/attest",
        )]))
        .unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2-secret"), "{shown}");
    }

    #[test]
    fn invalid_values_name_their_key() {
        let error = Config::from_source(&Source::from_pairs(&[("ATTEST_HTTPS_ADDR", "port 8443")]))
            .err()
            .unwrap();
        assert!(error.to_string().contains("ATTEST_HTTPS_ADDR"), "{error}");
        let error = Config::from_source(&Source::from_pairs(&[("ATTEST_TLS_CERT", "/x.pem")]))
            .err()
            .unwrap();
        assert!(error.to_string().contains("ATTEST_TLS_KEY"), "{error}");
    }

    #[test]
    fn the_http_redirect_listener_can_be_turned_off() {
        let config =
            Config::from_source(&Source::from_pairs(&[("ATTEST_HTTP_ADDR", "off")])).unwrap();
        assert_eq!(config.http_addr, None);
    }

    #[test]
    fn a_config_file_with_an_unknown_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("attest.env");
        std::fs::write(&path, "ATTEST_HTTPS_ADR=0.0.0.0:443\n").unwrap();
        let error = Source::load(Some(&path)).err().unwrap();
        assert!(error.to_string().contains("ATTEST_HTTPS_ADR"), "{error}");
    }
}
