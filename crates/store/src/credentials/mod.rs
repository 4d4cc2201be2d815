//! Workers' credentials: reading them (within what row-level security lets the caller see),
//! recording, renewing, suspending and revoking them, their sealed personal fields and evidence.

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
