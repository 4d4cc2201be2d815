//! What the server and a parser worker say to each other over the worker's standard input and
//! output: one header line (JSON) and the file's bytes in; one JSON answer out.

use attest_import::{Limits, Table};
use serde::{Deserialize, Serialize};

/// What to do with the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Job {
    /// A requisition's text (UTF-8 text, DOCX or PDF).
    Text,
    /// An import's table (CSV or XLSX).
    Table,
}

/// The first line the worker reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Header {
    pub(crate) job: Job,
    /// The worker's address space, in bytes (`RLIMIT_AS`).
    pub(crate) memory_limit: u64,
    /// CPU seconds the worker may use (`RLIMIT_CPU`): a second guard behind the server's
    /// deadline, in case the server is gone.
    pub(crate) cpu_seconds: u64,
    /// The file's length in bytes (what follows the header).
    pub(crate) length: u64,
    /// For [`Job::Table`].
    pub(crate) limits: Limits,
}

/// The worker's answer.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Answer {
    Text(String),
    Table(Table),
    /// A requisition file refused: the engine's stable code and a damaged document's reason.
    TextRefused {
        code: String,
        detail: String,
    },
    /// An import file refused, with why in people's words.
    TableRefused {
        message: String,
    },
}
