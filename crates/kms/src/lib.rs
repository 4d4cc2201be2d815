//! Key-encryption-key providers backed by a key-management service, so that the key that wraps
//! every data key never sits on the application host.
//!
//! [`VaultKek`] speaks the HashiCorp Vault / OpenBao Transit API: data keys are encrypted and
//! decrypted by a named transit key (AES-256-GCM, versioned by the service), each bound to its
//! organisation, person and key id as associated data. Rotation is the service's (`rotate`),
//! and retired versions are refused once `min_decryption_version` is raised.

mod settings;
mod transit;
mod wire;

pub use settings::{VaultAuth, VaultSettings};
pub use transit::{TransitKeyStatus, VaultKek};
