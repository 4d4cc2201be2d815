//! Reading workers and credentials from CSV and XLSX files: a pure library (no database, no
//! async runtime) that turns a file into typed rows and a report of every row's problems
//! (row, column, reason). The store decides what the rows change; nothing here writes.
//!
//! - [`Table::read`]: the file as a table of text cells, whatever its format (CSV in UTF-8 with
//!   `,` or `;`, or the first sheet of an XLSX workbook), refusing what cannot be trusted:
//!   other encodings, formulas, error cells, huge cells, too many rows.
//! - [`credentials`] and [`workers`]: the columns each import takes, and each row parsed.

mod cell_refs;
mod columns;
mod rows;
mod table;
mod xlsx;

pub use columns::{CREDENTIAL_COLUMNS, Column, WORKER_COLUMNS};
pub use rows::{CredentialRow, Expiry, Parsed, Problem, WorkerRow, credentials, workers};
pub use table::{FileError, Limits, Table};
