//! Finding the machine's PostgreSQL server binaries.

use super::EmbeddedError;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The directory holding `initdb`, `pg_ctl` and `postgres`, and their major version.
#[derive(Debug, Clone)]
pub struct PgBinaries {
    pub dir: PathBuf,
    pub major_version: u32,
}

const REQUIRED: [&str; 3] = ["initdb", "pg_ctl", "postgres"];

impl PgBinaries {
    /// Uses `configured` if given; otherwise the newest `/usr/lib/postgresql/<major>/bin`
    /// (Debian and Ubuntu), then `pg_config --bindir`, then `initdb` on `PATH`.
    pub fn find(configured: Option<&Path>) -> Result<Self, EmbeddedError> {
        let candidate = match configured {
            Some(dir) => Some(dir.to_owned()),
            None => debian_bin_dir()
                .or_else(pg_config_bin_dir)
                .or_else(path_bin_dir),
        };
        let dir = candidate
            .filter(|dir| REQUIRED.iter().all(|b| dir.join(b).is_file()))
            .ok_or(EmbeddedError::BinariesNotFound)?;
        let major_version = server_major_version(&dir)?;
        Ok(Self { dir, major_version })
    }

    pub fn tool(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

fn debian_bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let major: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            REQUIRED
                .iter()
                .all(|b| bin.join(b).is_file())
                .then_some((major, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn pg_config_bin_dir() -> Option<PathBuf> {
    let out = Command::new("pg_config").arg("--bindir").output().ok()?;
    out.status
        .success()
        .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

fn path_bin_dir() -> Option<PathBuf> {
    std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).find(|dir| dir.join("initdb").is_file()))
}

/// Reads the major version from `postgres --version` ("postgres (PostgreSQL) 15.19 (Debian…)").
fn server_major_version(dir: &Path) -> Result<u32, EmbeddedError> {
    let out = Command::new(dir.join("postgres"))
        .arg("--version")
        .output()
        .map_err(|e| EmbeddedError::Command {
            what: "postgres --version".into(),
            detail: e.to_string(),
        })?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .find_map(|word| word.split('.').next()?.parse::<u32>().ok())
        .ok_or_else(|| EmbeddedError::Command {
            what: "postgres --version".into(),
            detail: format!("unexpected output {text:?}"),
        })
}
