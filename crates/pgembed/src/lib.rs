//! The embedded default: a private PostgreSQL cluster that `attest` initialises and runs from the
//! machine's PostgreSQL binaries when no `DATABASE_URL` is given.
//!
//! The cluster lives in one directory (`data/` for PGDATA, `run/` for its unix socket, `log/`),
//! listens on a unix socket only (no TCP), and requires a SCRAM password for every role. Its
//! three login roles are `attest_superuser` (bootstrap only), `attest_owner` (owns the schemas,
//! runs migrations) and `attest_app` (what the server logs in as; no superuser, no BYPASSRLS,
//! owns nothing). Their passwords live in a 0600 secrets file beside the cluster.

mod binaries;
mod provision;
mod run_as;
mod secrets;
pub mod shared;

pub use binaries::PgBinaries;
pub use run_as::ClusterUser;
pub use secrets::ClusterSecrets;

use secrecy::{ExposeSecret, SecretString};
use sqlx::postgres::PgConnectOptions;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Login role names, shared with the migrations (which grant to `attest_app`).
pub const SUPERUSER_ROLE: &str = "attest_superuser";
pub const OWNER_ROLE: &str = "attest_owner";
pub const APP_ROLE: &str = "attest_app";

/// Why the embedded cluster could not be set up or run.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found. Install them \
         (Debian: `apt-get install postgresql`), set ATTEST_PG_BIN_DIR to their directory, or set \
         DATABASE_URL to use an existing server"
    )]
    BinariesNotFound,
    #[error(
        "running as root, the embedded cluster must run as an unprivileged system user, and user \
         {0:?} does not exist (set ATTEST_PG_USER, or install PostgreSQL, which creates `postgres`)"
    )]
    NoClusterUser(String),
    #[error(
        "the cluster directory {dir} is not writable by user {user}, who runs the cluster (a \
         directory under a root-only home such as /root is not reachable); set ATTEST_DATA_DIR \
         or ATTEST_PG_DIR to a place under /var/lib, for example /var/lib/attest"
    )]
    Unreachable { dir: String, user: String },
    #[error(
        "the cluster in {dir} was made by PostgreSQL {found}, but the binaries are PostgreSQL {binaries}"
    )]
    VersionMismatch {
        dir: String,
        found: String,
        binaries: u32,
    },
    #[error("{what} failed: {detail}")]
    Command { what: String, detail: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the secrets file {0} must be readable by its owner only (mode 0600)")]
    SecretsPermissions(String),
    #[error("the secrets file {0} is malformed")]
    SecretsMalformed(String),
    #[error("provisioning roles and databases failed: {0}")]
    Provision(#[from] sqlx::Error),
}

impl EmbeddedError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Where and how to run the cluster.
#[derive(Debug, Clone)]
pub struct EmbeddedOptions {
    /// The cluster's directory (created if missing).
    pub pg_dir: PathBuf,
    /// The 0600 file holding the role passwords.
    pub secrets_file: PathBuf,
    /// Where the PostgreSQL binaries are; found automatically when `None`.
    pub bin_dir: Option<PathBuf>,
    /// The system user that runs the cluster when Attest runs as root.
    pub system_user: String,
    /// `false` turns off fsync and friends: for throwaway test clusters only.
    pub durable: bool,
}

/// The three login roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClusterRole {
    Superuser,
    Owner,
    App,
}

impl ClusterRole {
    pub const fn name(self) -> &'static str {
        match self {
            Self::Superuser => SUPERUSER_ROLE,
            Self::Owner => OWNER_ROLE,
            Self::App => APP_ROLE,
        }
    }
}

/// Whether [`EmbeddedCluster::start`] started the server or found it running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartOutcome {
    Started,
    AlreadyRunning,
}

/// A private PostgreSQL cluster in a directory of ours.
#[derive(Debug)]
pub struct EmbeddedCluster {
    options: EmbeddedOptions,
    binaries: PgBinaries,
    user: ClusterUser,
    secrets: ClusterSecrets,
}

impl EmbeddedCluster {
    /// Finds the binaries, decides who runs the cluster and loads (or creates) its secrets.
    /// Touches nothing else.
    pub fn prepare(options: EmbeddedOptions) -> Result<Self, EmbeddedError> {
        let binaries = PgBinaries::find(options.bin_dir.as_deref())?;
        let user = ClusterUser::resolve(&options.system_user)?;
        let secrets = ClusterSecrets::load_or_create(&options.secrets_file)?;
        Ok(Self {
            options,
            binaries,
            user,
            secrets,
        })
    }

    pub fn pg_dir(&self) -> &Path {
        &self.options.pg_dir
    }

    pub fn data_dir(&self) -> PathBuf {
        self.options.pg_dir.join("data")
    }

    pub fn socket_dir(&self) -> PathBuf {
        self.options.pg_dir.join("run")
    }

    fn log_file(&self) -> PathBuf {
        self.options.pg_dir.join("log").join("postgresql.log")
    }

    pub fn binaries(&self) -> &PgBinaries {
        &self.binaries
    }

    /// Connection options for `role` on `database`, over the cluster's unix socket.
    pub fn connect_options(&self, role: ClusterRole, database: &str) -> PgConnectOptions {
        let password = self.password(role);
        PgConnectOptions::new()
            .socket(self.socket_dir())
            .port(5432)
            .username(role.name())
            .password(password.expose_secret())
            .database(database)
            .application_name("attest")
    }

    fn password(&self, role: ClusterRole) -> &SecretString {
        match role {
            ClusterRole::Superuser => &self.secrets.superuser,
            ClusterRole::Owner => &self.secrets.owner,
            ClusterRole::App => &self.secrets.app,
        }
    }

    /// The same connection as a `postgres://` URL (for tools such as `psql` and `sqlx`).
    pub fn url(&self, role: ClusterRole, database: &str) -> SecretString {
        let password = self.password(role);
        let socket: String = self
            .socket_dir()
            .display()
            .to_string()
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => {
                    char::from(b).to_string()
                }
                other => format!("%{other:02X}"),
            })
            .collect();
        // Role passwords are URL-safe base64 and database names are ours: neither needs escaping.
        SecretString::from(format!(
            "postgres://{}:{}@localhost/{database}?host={socket}",
            role.name(),
            password.expose_secret()
        ))
    }

    /// Creates the cluster if its directory holds none yet. Returns whether it did.
    pub fn ensure_initialised(&self) -> Result<bool, EmbeddedError> {
        let pg_dir = &self.options.pg_dir;
        self.make_dir(pg_dir, 0o700)?;
        self.user.check_access(pg_dir)?;
        let data = self.data_dir();
        let version_file = data.join("PG_VERSION");
        let created = if version_file.exists() {
            let found = fs::read_to_string(&version_file)
                .map_err(|e| EmbeddedError::io(&version_file, e))?;
            if found.trim() != self.binaries.major_version.to_string() {
                return Err(EmbeddedError::VersionMismatch {
                    dir: data.display().to_string(),
                    found: found.trim().to_owned(),
                    binaries: self.binaries.major_version,
                });
            }
            false
        } else {
            self.initdb()?;
            true
        };
        self.make_dir(&self.socket_dir(), 0o700)?;
        self.make_dir(&pg_dir.join("log"), 0o700)?;
        self.write_configuration()?;
        Ok(created)
    }

    fn initdb(&self) -> Result<(), EmbeddedError> {
        let pwfile = self.options.pg_dir.join(".initdb-password");
        let _ = fs::remove_file(&pwfile);
        self.secrets.write_superuser_pwfile(&pwfile)?;
        self.user.take_ownership(&pwfile)?;
        let mut cmd = self.user.command(&self.binaries.tool("initdb"));
        cmd.arg("-D")
            .arg(self.data_dir())
            .arg("-U")
            .arg(SUPERUSER_ROLE)
            .arg(format!("--pwfile={}", pwfile.display()))
            .args([
                "--auth-local=scram-sha-256",
                "--auth-host=reject",
                "-E",
                "UTF8",
                "--no-locale",
            ]);
        let result = run(cmd, "initdb");
        let _ = fs::remove_file(&pwfile);
        result.map(drop)
    }

    /// Unix socket only, SCRAM for every role; rewritten on every start so a moved directory or a
    /// changed option takes effect.
    fn write_configuration(&self) -> Result<(), EmbeddedError> {
        let data = self.data_dir();
        let quote = |p: &Path| p.display().to_string().replace('\'', "''");
        let mut conf = format!(
            "# Written by attest on every start; edits are overwritten.\n\
             listen_addresses = ''\n\
             unix_socket_directories = '{}'\n\
             unix_socket_permissions = 0700\n\
             max_connections = 200\n\
             password_encryption = 'scram-sha-256'\n\
             log_statement = 'none'\n\
             log_min_error_statement = 'panic'\n\
             log_line_prefix = '%m [%p] %q%u@%d '\n",
            quote(&self.socket_dir())
        );
        if !self.options.durable {
            conf.push_str("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
        }
        self.write_owned(&data.join("attest.conf"), &conf)?;
        self.write_owned(
            &data.join("pg_hba.conf"),
            "# Written by attest: unix socket only, a password for every role.\nlocal all all scram-sha-256\n",
        )?;
        let main_conf = data.join("postgresql.conf");
        let text = fs::read_to_string(&main_conf).map_err(|e| EmbeddedError::io(&main_conf, e))?;
        if !text.contains("include_if_exists = 'attest.conf'") {
            self.write_owned(
                &main_conf,
                &format!("{text}\ninclude_if_exists = 'attest.conf'\n"),
            )?;
        }
        Ok(())
    }

    /// Starts the server unless it is already running, waiting until it accepts connections.
    pub fn start(&self) -> Result<StartOutcome, EmbeddedError> {
        self.ensure_initialised()?;
        if self.is_running()? {
            return Ok(StartOutcome::AlreadyRunning);
        }
        let mut cmd = self.user.command(&self.binaries.tool("pg_ctl"));
        cmd.arg("-D")
            .arg(self.data_dir())
            .arg("-l")
            .arg(self.log_file())
            .args(["-w", "-t", "120", "-s", "start"]);
        run(cmd, "pg_ctl start").map_err(|e| self.with_log_tail(e))?;
        Ok(StartOutcome::Started)
    }

    /// Stops the server (fast shutdown: open transactions roll back, data is flushed).
    pub fn stop(&self) -> Result<(), EmbeddedError> {
        if !self.is_running()? {
            return Ok(());
        }
        let mut cmd = self.user.command(&self.binaries.tool("pg_ctl"));
        cmd.arg("-D")
            .arg(self.data_dir())
            .args(["-m", "fast", "-w", "-t", "120", "-s", "stop"]);
        run(cmd, "pg_ctl stop").map(drop)
    }

    pub fn is_running(&self) -> Result<bool, EmbeddedError> {
        if !self.data_dir().join("PG_VERSION").exists() {
            return Ok(false);
        }
        let mut cmd = self.user.command(&self.binaries.tool("pg_ctl"));
        cmd.arg("-D").arg(self.data_dir()).arg("status");
        let out = cmd.output().map_err(|e| EmbeddedError::Command {
            what: "pg_ctl status".into(),
            detail: e.to_string(),
        })?;
        Ok(out.status.success())
    }

    fn make_dir(&self, dir: &Path, mode: u32) -> Result<(), EmbeddedError> {
        fs::create_dir_all(dir).map_err(|e| EmbeddedError::io(dir, e))?;
        fs::set_permissions(dir, fs::Permissions::from_mode(mode))
            .map_err(|e| EmbeddedError::io(dir, e))?;
        self.user.take_ownership(dir)
    }

    fn write_owned(&self, path: &Path, contents: &str) -> Result<(), EmbeddedError> {
        fs::write(path, contents).map_err(|e| EmbeddedError::io(path, e))?;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
            .map_err(|e| EmbeddedError::io(path, e))?;
        self.user.take_ownership(path)
    }

    fn with_log_tail(&self, error: EmbeddedError) -> EmbeddedError {
        let tail = fs::read_to_string(self.log_file())
            .map(|log| {
                log.lines()
                    .rev()
                    .take(8)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        match error {
            EmbeddedError::Command { what, detail } if !tail.is_empty() => EmbeddedError::Command {
                what,
                detail: format!(
                    "{detail}\nlast lines of {}:\n{tail}",
                    self.log_file().display()
                ),
            },
            other => other,
        }
    }
}

fn run(mut cmd: Command, what: &str) -> Result<Output, EmbeddedError> {
    let out = cmd.output().map_err(|e| EmbeddedError::Command {
        what: what.into(),
        detail: e.to_string(),
    })?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(EmbeddedError::Command {
            what: what.into(),
            detail: format!(
                "{}: {}{}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim(),
                String::from_utf8_lossy(&out.stdout).trim()
            ),
        })
    }
}
