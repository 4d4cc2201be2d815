//! The export format, and its offline verification.
//!
//! An export is JSON Lines. The first line is a [`Header`]: the log's origin, its verifier key,
//! a signed checkpoint (size `N`, root `R`), which leaves the export holds (`[first, end)`), and
//! the compact-range hashes of the leaves before and after them. Each further line is one event
//! ([`Line`]): its leaf index, the leaf hash integrated into the log, the leaf itself (whose
//! RFC 8785 serialisation is its canonical bytes) and its personal fields (or `null` once
//! erased). The verifier recomputes every leaf hash, checks each against the integrated one,
//! checks the personal fields against their digest, rebuilds the root from the compact ranges
//! and checks it against the signed checkpoint, and, given an earlier checkpoint, checks that
//! this log extends it.

use crate::checkpoint::{CheckpointError, SignedCheckpoint};
use crate::event::{Leaf, Personal};
use crate::tree::{CompactRange, Hash, check_tree, record_hash};
use crate::{hash_from_hex, hex, hex_eq};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest as _, Sha256};
use std::io::BufRead;
use uuid::Uuid;

pub const FORMAT: &str = "attest-audit-export/1";

/// A consistency proof from an earlier tree size to this export's checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consistency {
    pub from_size: u64,
    /// Hex hashes, as RFC 6962 §2.1.2 builds them.
    pub proof: Vec<String>,
}

/// The first line of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// [`FORMAT`].
    pub format: String,
    /// `attest/<organisation id>`: the log and the name of its key.
    pub origin: String,
    /// The signed-note verifier key of the organisation's log key.
    pub vkey: String,
    /// The signed checkpoint (a C2SP signed note) the export is checked against.
    pub checkpoint: String,
    pub tree_size: u64,
    /// The first leaf index in the export (0-based; an event's sequence number is index + 1).
    pub first: u64,
    /// One past the last leaf index in the export.
    pub end: u64,
    /// Hex hashes of the perfect subtrees covering leaves `[0, first)`, left to right.
    pub left: Vec<String>,
    /// Hex hashes of the perfect subtrees covering leaves `[end, tree_size)`, left to right.
    pub right: Vec<String>,
    /// When asked for: the proof that this tree extends an earlier one.
    pub consistency: Option<Consistency>,
    /// When the export was made (UTC, RFC 3339), and what was asked for, for people.
    pub exported_at: String,
    pub range: serde_json::Value,
}

/// One event of an export.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub index: u64,
    /// Hex: the leaf hash integrated into the log.
    pub leaf_hash: String,
    /// The leaf's canonical bytes (RFC 8785), verbatim: the leaf hash is
    /// `SHA-256(0x00 ‖ these bytes)`.
    pub event: Box<RawValue>,
    /// The personal fields' canonical bytes, verbatim (the leaf's `personal` is their SHA-256),
    /// or `null` once erased.
    pub personal: Option<Box<RawValue>>,
}

impl Line {
    pub fn new(index: u64, leaf_hash: &Hash, leaf: &Leaf, personal: Option<&Personal>) -> Self {
        Self {
            index,
            leaf_hash: hex(&leaf_hash.0),
            event: raw(leaf.canonical_bytes()),
            personal: personal.map(|p| raw(p.canonical_bytes())),
        }
    }

    /// The leaf, parsed.
    pub fn leaf(&self) -> Result<Leaf, serde_json::Error> {
        serde_json::from_str(self.event.get())
    }

    /// The personal fields, parsed (`None` once erased).
    pub fn personal_fields(&self) -> Result<Option<Personal>, serde_json::Error> {
        self.personal
            .as_ref()
            .map(|p| serde_json::from_str(p.get()))
            .transpose()
    }
}

/// Canonical JSON bytes as a raw JSON value (they are valid JSON by construction).
fn raw(bytes: Vec<u8>) -> Box<RawValue> {
    let text = String::from_utf8(bytes).unwrap_or_default();
    RawValue::from_string(text).unwrap_or_else(|_| RawValue::NULL.to_owned())
}

/// An event line as the verifier reads it: borrowed, the event and personal fields kept as the
/// exact bytes that were hashed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineRef<'a> {
    index: u64,
    #[serde(borrow)]
    leaf_hash: &'a str,
    #[serde(borrow)]
    event: &'a RawValue,
    #[serde(borrow)]
    personal: Option<&'a RawValue>,
}

/// What the verifier needs from a leaf besides its bytes.
#[derive(Deserialize)]
struct LeafRef<'a> {
    #[serde(borrow)]
    org: &'a str,
    #[serde(borrow)]
    personal: &'a str,
}

/// The event id, read only to name a bad event.
#[derive(Deserialize)]
struct LeafId {
    id: Uuid,
}

/// What to check besides the export itself.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The verifier key the checkpoint must be signed with. Without it, the export's own key is
    /// used, which proves integrity only against the export's author.
    pub key: Option<String>,
    /// An earlier signed checkpoint this log must extend.
    pub previous_checkpoint: Option<String>,
}

/// A successful verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub origin: String,
    pub tree_size: u64,
    pub first: u64,
    pub end: u64,
    pub events: u64,
    pub erased: u64,
    pub key_pinned: bool,
    pub extends: Option<u64>,
}

/// Why an export does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the export cannot be read: {0}")]
    Unreadable(String),
    #[error("the export's header is not valid: {0}")]
    Header(String),
    #[error("checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    #[error("event {seq} (index {index}{id}): {reason}", id = .id.map(|i| format!(", id {i}")).unwrap_or_default())]
    Event {
        index: u64,
        seq: u64,
        id: Option<Uuid>,
        reason: String,
    },
    #[error(
        "the events do not reproduce the signed root: events were removed, added, reordered, or the tree was rebuilt"
    )]
    Root,
    #[error("the log does not extend the previous checkpoint: {0}")]
    Consistency(String),
}

fn bad_event(index: u64, id: Option<Uuid>, reason: impl Into<String>) -> VerifyError {
    VerifyError::Event {
        index,
        seq: index + 1,
        id,
        reason: reason.into(),
    }
}

fn hashes(list: &[String], what: &str) -> Result<Vec<Hash>, VerifyError> {
    list.iter()
        .map(|h| {
            hash_from_hex(h)
                .ok_or_else(|| VerifyError::Header(format!("{what}: {h:?} is not a hash")))
        })
        .collect()
}

/// Verifies an export read line by line (constant memory, whatever its size).
pub fn verify(mut reader: impl BufRead, options: &Options) -> Result<Report, VerifyError> {
    let mut buffer = Vec::with_capacity(4096);
    let read = |reader: &mut dyn BufRead, buffer: &mut Vec<u8>| -> Result<bool, VerifyError> {
        buffer.clear();
        let n = reader
            .read_until(b'\n', buffer)
            .map_err(|e| VerifyError::Unreadable(e.to_string()))?;
        Ok(n > 0)
    };
    if !read(&mut reader, &mut buffer)? {
        return Err(VerifyError::Header("the export is empty".into()));
    }
    let header: Header =
        serde_json::from_slice(&buffer).map_err(|e| VerifyError::Header(e.to_string()))?;
    if header.format != FORMAT {
        return Err(VerifyError::Header(format!(
            "unknown format {:?}",
            header.format
        )));
    }
    if let Some(pinned) = &options.key
        && pinned != &header.vkey
    {
        return Err(VerifyError::Checkpoint(CheckpointError::NotSigned(
            format!("the export names key {}, not the pinned one", header.vkey),
        )));
    }
    let vkey = options.key.as_deref().unwrap_or(&header.vkey);
    let checkpoint = SignedCheckpoint::verify(&header.checkpoint, vkey)?;
    if checkpoint.origin != header.origin || checkpoint.size != header.tree_size {
        return Err(VerifyError::Header(
            "the header does not match its checkpoint".into(),
        ));
    }
    if !(header.first <= header.end && header.end <= header.tree_size) {
        return Err(VerifyError::Header(
            "the leaf range is outside the tree".into(),
        ));
    }
    let org = header.origin.strip_prefix("attest/").unwrap_or_default();
    let previous = options
        .previous_checkpoint
        .as_deref()
        .map(|text| SignedCheckpoint::verify(text, vkey))
        .transpose()?;

    let left = CompactRange::from_hashes(0, header.first, &hashes(&header.left, "left")?)
        .map_err(|e| VerifyError::Header(e.to_string()))?;
    let mut middle = CompactRange::empty(header.first);
    let mut prefix_root = None;
    let mut erased = 0;
    while read(&mut reader, &mut buffer)? {
        if buffer.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let index = middle.end();
        let line: LineRef<'_> = serde_json::from_slice(&buffer)
            .map_err(|e| bad_event(index, None, format!("not a valid event line: {e}")))?;
        let bytes = line.event.get().as_bytes();
        let id = || {
            serde_json::from_str::<LeafId>(line.event.get())
                .ok()
                .map(|l| l.id)
        };
        if line.index != index {
            return Err(bad_event(
                index,
                id(),
                format!(
                    "expected the event at index {index}, found index {} (events missing or reordered)",
                    line.index
                ),
            ));
        }
        if index >= header.end {
            return Err(bad_event(
                index,
                id(),
                "more events than the header announces",
            ));
        }
        let computed = record_hash(bytes);
        if !hex_eq(&computed.0, line.leaf_hash) {
            return Err(bad_event(
                index,
                id(),
                "its contents do not match the hash integrated into the log (altered)",
            ));
        }
        let leaf: LeafRef<'_> = serde_json::from_str(line.event.get())
            .map_err(|e| bad_event(index, id(), format!("not a valid leaf: {e}")))?;
        if !org.is_empty() && !leaf.org.eq_ignore_ascii_case(org) {
            return Err(bad_event(
                index,
                id(),
                "belongs to another organisation's log",
            ));
        }
        match line.personal {
            Some(personal) => {
                let digest = Sha256::digest(personal.get().as_bytes());
                if !hex_eq(&digest, leaf.personal) {
                    return Err(bad_event(
                        index,
                        id(),
                        "its personal fields do not match their digest (altered)",
                    ));
                }
            }
            None => erased += 1,
        }
        middle.append(computed);
        if let Some(prev) = &previous
            && header.first == 0
            && middle.end() == prev.size
        {
            prefix_root = middle.root();
        }
    }
    if middle.end() != header.end {
        return Err(bad_event(
            middle.end(),
            None,
            format!(
                "missing: the header announces events up to index {}",
                header.end
            ),
        ));
    }
    let right = CompactRange::from_hashes(
        header.end,
        header.tree_size,
        &hashes(&header.right, "right")?,
    )
    .map_err(|e| VerifyError::Header(e.to_string()))?;
    let whole = left
        .merge(&middle)
        .and_then(|r| r.merge(&right))
        .map_err(|e| VerifyError::Header(e.to_string()))?;
    if whole.root() != Some(checkpoint.root) {
        return Err(VerifyError::Root);
    }

    let extends = match previous {
        None => None,
        Some(prev) => {
            if prev.origin != checkpoint.origin {
                return Err(VerifyError::Consistency(
                    "the previous checkpoint is for another log".into(),
                ));
            }
            if prev.size > checkpoint.size {
                return Err(VerifyError::Consistency(format!(
                    "the previous checkpoint is larger ({}) than this one ({})",
                    prev.size, checkpoint.size
                )));
            }
            let consistent = if prev.size == 0 {
                true
            } else if prev.size == checkpoint.size {
                prev.root == checkpoint.root
            } else if let Some(c) = header
                .consistency
                .as_ref()
                .filter(|c| c.from_size == prev.size)
            {
                check_tree(
                    &hashes(&c.proof, "consistency")?,
                    checkpoint.size,
                    checkpoint.root,
                    prev.size,
                    prev.root,
                )
                .is_ok()
            } else if let Some(root) = prefix_root {
                root == prev.root
            } else {
                return Err(VerifyError::Consistency(format!(
                    "the export has no consistency proof from size {} (export with since_size={})",
                    prev.size, prev.size
                )));
            };
            if !consistent {
                return Err(VerifyError::Consistency(format!(
                    "the tree at size {} was rewritten",
                    prev.size
                )));
            }
            Some(prev.size)
        }
    };
    Ok(Report {
        origin: header.origin,
        tree_size: header.tree_size,
        first: header.first,
        end: header.end,
        events: header.end - header.first,
        erased,
        key_pinned: options.key.is_some(),
        extends,
    })
}

#[cfg(test)]
mod tests;
