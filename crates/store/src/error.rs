use attest_core::Region;

/// Why a store operation failed. Variants other than `Database`, `Migrate`, `Crypto` and
/// `Embedded` are expected outcomes the caller maps to a 4xx.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("an organisation with this slug already exists")]
    SlugTaken,
    #[error("this email address is already used in the organisation")]
    EmailTaken,
    #[error("a role with this key already exists in the organisation")]
    RoleKeyTaken,
    #[error("not found")]
    NotFound,
    /// The change conflicts with what is stored; the value is a stable code the server maps to
    /// a 409 (see `CONFLICTS`).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("region {0} is not configured on this server")]
    RegionUnavailable(Region),
    #[error("the database configured for region {expected} serves region {found}")]
    RegionMismatch { expected: Region, found: String },
    #[error(
        "the database role {0:?} is a superuser or bypasses row-level security; the server \
         refuses to run as it (connect as attest_app)"
    )]
    UnsafeAppRole(String),
    #[error(
        "the database for region {region} is at schema version {found}, this build needs \
         {expected}; run `attest migrate`"
    )]
    SchemaOutdated {
        region: Region,
        found: i64,
        expected: i64,
    },
    /// The audit ledger's stored state is inconsistent (a bug, or tampering).
    #[error("audit ledger: {0}")]
    Ledger(String),
    /// A stored value is not one this build knows (a bug, or a newer schema).
    #[error("stored data is inconsistent: {0}")]
    Inconsistent(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Crypto(#[from] attest_crypto::CryptoError),
    #[error(transparent)]
    Embedded(#[from] attest_pgembed::EmbeddedError),
}

impl StoreError {
    /// Whether the database could not be reached (as opposed to refusing the request).
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Database(
                sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed
            )
        )
    }

    /// The violated constraint's name, if this is a constraint violation.
    pub fn constraint(&self) -> Option<&str> {
        match self {
            StoreError::Database(sqlx::Error::Database(db)) => db.constraint(),
            _ => None,
        }
    }
}

/// Maps a violation of any of `constraints` (name, conflict code) to `StoreError::Conflict`,
/// passing other errors through.
pub(crate) fn on_conflicts(
    constraints: &'static [(&'static str, &'static str)],
) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |error| {
        if let sqlx::Error::Database(db) = &error
            && let Some(name) = db.constraint()
            && let Some((_, code)) = constraints.iter().find(|(c, _)| *c == name)
        {
            return StoreError::Conflict(code);
        }
        StoreError::Database(error)
    }
}

/// Maps a unique-violation on `constraint` to `to`, passing other errors through.
pub(crate) fn on_constraint(
    constraint: &'static str,
    to: StoreError,
) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |error| match &error {
        sqlx::Error::Database(db) if db.constraint() == Some(constraint) => to,
        _ => StoreError::Database(error),
    }
}
