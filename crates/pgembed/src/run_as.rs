//! Running the cluster's commands as an unprivileged user. PostgreSQL refuses to run as root:
//! when Attest runs as root, the cluster runs as a system user (Debian's `postgres`) through
//! `runuser`, and that user owns the cluster's directory.

use super::EmbeddedError;
use nix::unistd::{Gid, Uid, User, geteuid};
use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

/// Who runs the cluster's processes.
#[derive(Debug, Clone)]
pub enum ClusterUser {
    /// The current (non-root) user.
    Current,
    /// A system user, switched to with `runuser`.
    System { name: String, uid: Uid, gid: Gid },
}

impl ClusterUser {
    /// The current user, or `system_user` when running as root.
    pub fn resolve(system_user: &str) -> Result<Self, EmbeddedError> {
        if !geteuid().is_root() {
            return Ok(Self::Current);
        }
        let user = User::from_name(system_user)
            .ok()
            .flatten()
            .ok_or_else(|| EmbeddedError::NoClusterUser(system_user.to_owned()))?;
        if user.uid.is_root() {
            return Err(EmbeddedError::NoClusterUser(system_user.to_owned()));
        }
        Ok(Self::System {
            name: user.name,
            uid: user.uid,
            gid: user.gid,
        })
    }

    /// A command for `program` run as this user.
    pub fn command(&self, program: &Path) -> Command {
        match self {
            Self::Current => Command::new(program),
            Self::System { name, .. } => {
                let mut cmd = Command::new("runuser");
                cmd.args([
                    OsStr::new("-u"),
                    OsStr::new(name),
                    OsStr::new("--"),
                    program.as_os_str(),
                ]);
                cmd
            }
        }
    }

    /// Gives `path` to this user (a no-op for the current user).
    pub fn take_ownership(&self, path: &Path) -> Result<(), EmbeddedError> {
        if let Self::System { uid, gid, .. } = self {
            std::os::unix::fs::chown(path, Some(uid.as_raw()), Some(gid.as_raw()))
                .map_err(|e| EmbeddedError::io(path, e))?;
        }
        Ok(())
    }

    /// Checks that this user can reach and write `dir`; a directory under a root-only home
    /// (`/root`) is not reachable by a system user.
    pub fn check_access(&self, dir: &Path) -> Result<(), EmbeddedError> {
        let Self::System { name, .. } = self else {
            return Ok(());
        };
        let status = self
            .command(Path::new("test"))
            .arg("-w")
            .arg(dir)
            .status()
            .map_err(|e| EmbeddedError::Command {
                what: "runuser".into(),
                detail: e.to_string(),
            })?;
        if status.success() {
            Ok(())
        } else {
            Err(EmbeddedError::Unreachable {
                dir: dir.display().to_string(),
                user: name.clone(),
            })
        }
    }
}
