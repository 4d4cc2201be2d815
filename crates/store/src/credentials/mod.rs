//! The Credentials product: workers' credentials (reading them within what row-level security
//! lets the caller see; recording, renewing, suspending and revoking them; their sealed personal
//! fields and evidence), and around them the organisation's credential types and settings, job
//! roles, requirements, the readiness they add up to (with its live notifications), the daily
//! expiry job's queries, and the workforce import.

pub mod expiry;
pub mod job_roles;
pub mod live;
pub mod readiness;
pub mod requirements;
pub mod settings;
pub mod types;
pub mod workers_import;

mod evidence;
mod import;
mod personal;
mod read;
mod write;

pub use evidence::{EvidenceFile, NewEvidence, read_evidence, store_evidence};
pub use import::{ImportReport, Progress, import_credentials};
pub use personal::{PersonalFields, personal_fields};
pub use read::{Credential, CredentialVersion, for_worker, get, history, visible};
pub use write::{NewCredential, Renewal, add, renew, set_state};
