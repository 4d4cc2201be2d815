//! Checkpoints: C2SP `tlog-checkpoint` notes (origin, tree size, root hash) signed with the
//! organisation's Ed25519 key as C2SP `signed-note` signatures.

use crate::tree::Hash;
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use signed_note::{Note, StandardVerifier, VerifierList};
use tlog_tiles::Checkpoint;
use uuid::Uuid;

/// The log's origin (and the signing key's name) for an organisation.
pub fn origin_for(org_id: Uuid) -> String {
    format!("attest/{org_id}")
}

/// The signed-note verifier key (`name+keyid+base64(0x01 ‖ public key)`), which is what someone
/// checking exports should pin.
pub fn vkey_for(origin: &str, public_key: &VerifyingKey) -> String {
    signed_note::new_ed25519_verifier_key(origin, public_key)
}

/// Why a checkpoint was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    #[error("the verifier key is malformed")]
    BadKey,
    #[error("the checkpoint is not a well-formed signed note")]
    Malformed,
    #[error("the checkpoint is not signed by the expected key ({0})")]
    NotSigned(String),
    #[error("the checkpoint is for origin {found:?}, expected {expected:?}")]
    WrongOrigin { expected: String, found: String },
}

/// Signs checkpoints for one log.
pub struct LogSigner {
    origin: String,
    key: SigningKey,
    key_id: u32,
}

impl std::fmt::Debug for LogSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogSigner")
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl LogSigner {
    pub fn new(origin: String, seed: &[u8; 32]) -> Self {
        let key = SigningKey::from_bytes(seed);
        let encoded = [&[0x01_u8][..], key.verifying_key().as_bytes()].concat();
        let key_id = signed_note::key_id(&origin, &encoded);
        Self {
            origin,
            key,
            key_id,
        }
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn public_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    pub fn vkey(&self) -> String {
        vkey_for(&self.origin, &self.key.verifying_key())
    }

    /// The signed checkpoint text for a tree of `size` leaves with root `root`.
    pub fn sign(&self, size: u64, root: Hash) -> Result<String, CheckpointError> {
        let checkpoint = Checkpoint::new(&self.origin, size, root, "")
            .map_err(|_| CheckpointError::Malformed)?;
        let mut note =
            Note::new(&checkpoint.to_bytes(), &[]).map_err(|_| CheckpointError::Malformed)?;
        note.add_sigs(&[self])
            .map_err(|_| CheckpointError::Malformed)?;
        String::from_utf8(note.to_bytes()).map_err(|_| CheckpointError::Malformed)
    }
}

impl signed_note::Signer for LogSigner {
    fn name(&self) -> &str {
        &self.origin
    }

    fn key_id(&self) -> u32 {
        self.key_id
    }

    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, signature::Error> {
        Ok(self.key.sign(msg).to_bytes().to_vec())
    }
}

/// A checkpoint whose signature has been verified.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedCheckpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
}

impl SignedCheckpoint {
    /// Verifies `text` with the verifier key `vkey` (and that its origin is the key's name).
    pub fn verify(text: &str, vkey: &str) -> Result<Self, CheckpointError> {
        let verifier = StandardVerifier::new(vkey).map_err(|_| CheckpointError::BadKey)?;
        let name = signed_note::Verifier::name(&verifier).to_owned();
        let note = Note::from_bytes(text.as_bytes()).map_err(|_| CheckpointError::Malformed)?;
        note.verify(&VerifierList::new(vec![Box::new(verifier)]))
            .map_err(|_| CheckpointError::NotSigned(name.clone()))?;
        let checkpoint =
            Checkpoint::from_bytes(note.text()).map_err(|_| CheckpointError::Malformed)?;
        if checkpoint.origin() != name {
            return Err(CheckpointError::WrongOrigin {
                expected: name,
                found: checkpoint.origin().to_owned(),
            });
        }
        Ok(Self {
            origin: checkpoint.origin().to_owned(),
            size: checkpoint.size(),
            root: *checkpoint.hash(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(seed: u8) -> LogSigner {
        LogSigner::new(origin_for(Uuid::from_u128(42)), &[seed; 32])
    }

    #[test]
    fn a_checkpoint_follows_the_c2sp_format_and_verifies() {
        let s = signer(1);
        let text = s.sign(8, Hash([0xab; 32])).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("attest/00000000-0000-0000-0000-00000000002a")
        );
        assert_eq!(lines.next(), Some("8"));
        assert_eq!(
            lines.next(),
            Some("q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=")
        );
        assert_eq!(lines.next(), Some(""));
        assert!(
            lines
                .next()
                .is_some_and(|l| l.starts_with("— attest/00000000-0000-0000-0000-00000000002a "))
        );
        let verified = SignedCheckpoint::verify(&text, &s.vkey()).unwrap();
        assert_eq!((verified.size, verified.root), (8, Hash([0xab; 32])));
    }

    #[test]
    fn a_checkpoint_signed_by_another_key_or_altered_is_refused() {
        let real = signer(1);
        let forger = signer(2);
        let forged = forger.sign(9, Hash([0xcd; 32])).unwrap();
        assert!(matches!(
            SignedCheckpoint::verify(&forged, &real.vkey()),
            Err(CheckpointError::NotSigned(_))
        ));
        let text = real.sign(8, Hash([0xab; 32])).unwrap();
        let altered = text.replacen("\n8\n", "\n9\n", 1);
        assert!(SignedCheckpoint::verify(&altered, &real.vkey()).is_err());
    }
}
