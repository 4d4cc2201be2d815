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
    /// The change conflicts with what is stored (or breaks a limit the schema keeps).
    #[error("conflict: {}", .0.code())]
    Conflict(Conflict),
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

/// What a change conflicts with: each has a stable code, which the API answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Conflict {
    /// Another credential type has the code.
    TypeCodeTaken,
    /// Another credential type has the name.
    TypeNameTaken,
    /// Another job role has the name.
    JobRoleNameTaken,
    /// The same requirement exists.
    RequirementExists,
    /// The change would leave the organisation without an active administrator.
    LastAdmin,
    /// A requisition's title is empty or too long.
    InvalidTitle,
    /// A requisition's text is too long.
    TextTooLong,
    /// A reviewer's note is too long.
    NoteTooLong,
    /// Another device sent a scan with the same id.
    ScanIdTaken,
    /// The worker already has a credential of the type.
    CredentialExists,
    /// No such credential type in the organisation.
    UnknownCredentialType,
    /// No such job role in the organisation.
    UnknownJobRole,
    /// No such site in the organisation.
    UnknownSite,
    /// No such worker in the organisation.
    UnknownWorker,
    /// No such evidence file for the worker.
    UnknownEvidence,
    /// The organisation's badge status list is full.
    StatusIndex,
    /// A time outside what a badge bundle can carry.
    Clock,
    /// A starter credential type that does not parse (a bug in the catalogue).
    InvalidStarterType,
}

impl Conflict {
    /// Every conflict.
    pub const ALL: [Self; 18] = [
        Self::TypeCodeTaken,
        Self::TypeNameTaken,
        Self::JobRoleNameTaken,
        Self::RequirementExists,
        Self::LastAdmin,
        Self::InvalidTitle,
        Self::TextTooLong,
        Self::NoteTooLong,
        Self::ScanIdTaken,
        Self::CredentialExists,
        Self::UnknownCredentialType,
        Self::UnknownJobRole,
        Self::UnknownSite,
        Self::UnknownWorker,
        Self::UnknownEvidence,
        Self::StatusIndex,
        Self::Clock,
        Self::InvalidStarterType,
    ];

    /// The stable code the API answers with.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::TypeCodeTaken => "type_code_taken",
            Self::TypeNameTaken => "type_name_taken",
            Self::JobRoleNameTaken => "job_role_name_taken",
            Self::RequirementExists => "requirement_exists",
            Self::LastAdmin => "last_admin",
            Self::InvalidTitle => "invalid_title",
            Self::TextTooLong => "text_too_long",
            Self::NoteTooLong => "note_too_long",
            Self::ScanIdTaken => "scan_id_taken",
            Self::CredentialExists => "credential_exists",
            Self::UnknownCredentialType => "unknown_credential_type",
            Self::UnknownJobRole => "unknown_job_role",
            Self::UnknownSite => "unknown_site",
            Self::UnknownWorker => "unknown_worker",
            Self::UnknownEvidence => "unknown_evidence",
            Self::StatusIndex => "status_index",
            Self::Clock => "clock",
            Self::InvalidStarterType => "invalid_starter_type",
        }
    }
}

impl StoreError {
    /// Whether the database or the key-management service could not be reached (as opposed to
    /// refusing the request).
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Database(
                sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed
            ) | StoreError::Crypto(attest_crypto::CryptoError::KmsUnavailable(_))
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

/// Maps a violation of any of `constraints` (name, conflict) to `StoreError::Conflict`,
/// passing other errors through.
pub(crate) fn on_conflicts(
    constraints: &'static [(&'static str, Conflict)],
) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |error| {
        if let sqlx::Error::Database(db) = &error
            && let Some(name) = db.constraint()
            && let Some((_, conflict)) = constraints.iter().find(|(c, _)| *c == name)
        {
            return StoreError::Conflict(*conflict);
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
