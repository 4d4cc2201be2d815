//! The Requisitions product. Job requisitions: every version of their text and structured fields
//! as analysed, the engine's findings on each version, and reviewers' decisions on findings
//! (keyed by the finding's fingerprint, so a decision holds through edits elsewhere in the text).
//! Row-level security decides who sees and changes what (migration 0012). Also what is kept of
//! [`anonymous`] analyses, briefly.

pub mod anonymous;

mod read;
mod write;

pub use read::{
    FindingRecord, Requisition, RequisitionSummary, Review, VersionSummary, findings, get, list,
    versions,
};
pub use write::{NewVersion, ReviewDecision, add_version, create, reanalyse, review};

use crate::StoreError;

/// Where a version's text came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Typed or pasted.
    Paste,
    /// An uploaded plain-text file.
    Text,
    Docx,
    Pdf,
}

impl Source {
    pub const fn as_str(self) -> &'static str {
        match self {
            Source::Paste => "paste",
            Source::Text => "text",
            Source::Docx => "docx",
            Source::Pdf => "pdf",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        Ok(match s {
            "paste" => Source::Paste,
            "text" => Source::Text,
            "docx" => Source::Docx,
            "pdf" => Source::Pdf,
            other => {
                return Err(StoreError::Inconsistent(format!(
                    "requisition source {other:?}"
                )));
            }
        })
    }
}
