//! Imports from CSV or XLSX files (the raw file as the body; at most 20 MB): the file is refused
//! at once (422 `import_file_refused`) if it cannot be read or has the wrong columns; otherwise the
//! response streams progress as JSON lines and ends with the result — `imported`, `checked` (a
//! dry run with no problems) or `refused` (every problem by row and column; nothing written).

pub(crate) mod credentials;
pub(crate) mod workers;

use crate::audit::Work;
use crate::concurrency::Place;
use crate::error::AppError;
use crate::parser::{ParseFailure, Parsers};
use attest_import::{Limits, Problem, Table};
use attest_store::credentials::ImportReport;
use axum::body::{Body, Bytes};
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use http::header::CONTENT_TYPE;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use utoipa::{IntoParams, ToSchema};

/// The largest file accepted, in bytes.
pub(crate) const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ImportQuery {
    /// Check every row and write nothing.
    #[serde(default)]
    pub(crate) dry_run: bool,
}

/// One line of the response.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum ImportLine {
    Progress {
        stage: String,
        done: usize,
        total: usize,
    },
    Result {
        #[schema(value_type = ImportStatus)]
        status: String,
        #[schema(value_type = ImportReportView)]
        report: serde_json::Value,
    },
    Error {
        code: String,
        message: String,
    },
}

/// How an import ended.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "it describes the OpenAPI document")]
enum ImportStatus {
    /// Every row was fine and is written.
    Imported,
    /// A dry run: every row is fine, nothing was written.
    Checked,
    /// A row has a problem: nothing was written.
    Refused,
}

/// What an import found and did.
#[derive(ToSchema)]
#[expect(dead_code, reason = "it describes the OpenAPI document")]
struct ImportReportView {
    rows: u32,
    added: u32,
    /// Credentials renewed (a credentials import).
    #[schema(nullable = false)]
    renewed: Option<u32>,
    /// Workers updated (a workers import).
    #[schema(nullable = false)]
    updated: Option<u32>,
    unchanged: u32,
    /// Every row's problems, by row (the header is row 1).
    problems: Vec<ImportProblem>,
    /// Whether anything was written.
    applied: bool,
    file_sha256: String,
}

/// A problem with a row (`column` empty: the whole row).
#[derive(ToSchema)]
#[expect(dead_code, reason = "it describes the OpenAPI document")]
struct ImportProblem {
    row: u32,
    column: String,
    reason: String,
}

/// An uploaded file, read and parsed: its rows, the problems found in the file itself, and its
/// SHA-256 (recorded with the import).
pub(crate) struct Upload<T> {
    pub(crate) rows: Vec<T>,
    problems: Vec<Problem>,
    pub(crate) file_sha256: String,
    total: usize,
}

impl<T: Send + 'static> Upload<T> {
    /// Reads the file as a table in a parser worker (never in this process: the file is
    /// untrusted), then `parse` turns it into rows; a file that cannot be used is a 422.
    pub(crate) async fn read(
        parsers: &Parsers,
        body: Bytes,
        parse: fn(&Table) -> Result<attest_import::Parsed<T>, attest_import::FileError>,
    ) -> Result<Self, AppError> {
        let refused = |why: &dyn std::fmt::Display| {
            AppError::client(
                StatusCode::UNPROCESSABLE_ENTITY,
                "import_file_refused",
                format!("The file was not imported: {why}."),
            )
        };
        let file_sha256 = hex(&attest_crypto::sha256(&body));
        let table = match parsers.read_table(&body, Limits::default()).await {
            Ok(Ok(table)) => table,
            Ok(Err(why)) => return Err(refused(&why)),
            Err(ParseFailure::TooDemanding) => {
                return Err(refused(&attest_import::FileError::TooComplex));
            }
            Err(ParseFailure::Busy) => {
                return Err(AppError::busy(
                    "import_busy",
                    "Too many files are being read right now; try again in a moment.",
                    crate::engine::BUSY_RETRY_SECONDS,
                ));
            }
            Err(ParseFailure::Broken(detail)) => return Err(AppError::internal(detail)),
        };
        let parsed = parse(&table).map_err(|e| refused(&e))?;
        let total = parsed.rows.len() + rows_with_problems(&parsed.problems);
        Ok(Self {
            rows: parsed.rows,
            problems: parsed.problems,
            file_sha256,
            total,
        })
    }

    /// Says the file is read; returns whether to write (not a dry run, and no row refused already).
    pub(crate) async fn start(&self, lines: &mpsc::Sender<ImportLine>, dry_run: bool) -> bool {
        let _ = lines
            .send(ImportLine::Progress {
                stage: "read".into(),
                done: self.total,
                total: self.total,
            })
            .await;
        !dry_run && self.problems.is_empty()
    }

    /// Completes the store's report with the file's own problems, in row order.
    pub(crate) fn complete(&mut self, report: &mut ImportReport) {
        report.rows = self.total;
        report.problems.append(&mut self.problems);
        report.problems.sort_by_key(|x| x.row);
    }
}

/// Runs `work` in the transaction on a task of its own and streams its progress lines and its
/// last line (the result) as JSON lines. A failure becomes an `error` line; nothing is committed.
/// The import's place among those running (`place`) is held until the work ends.
pub(crate) fn stream<F, Fut>(tx: Work, place: Place, work: F) -> Response
where
    F: FnOnce(Work, mpsc::Sender<ImportLine>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<ImportLine, AppError>> + Send,
{
    let (lines, receiver) = mpsc::channel::<ImportLine>(64);
    tokio::spawn(async move {
        let _place = place;
        let last = match work(tx, lines.clone()).await {
            Ok(line) => line,
            Err(error) => {
                tracing::error!(%error, "import failed");
                ImportLine::Error {
                    code: "internal_error".into(),
                    message: "The import failed on our side; nothing was imported. It has been logged; please try again.".into(),
                }
            }
        };
        let _ = lines.send(last).await;
    });
    let body = futures_util::stream::unfold(receiver, |mut receiver| async move {
        let line = receiver.recv().await?;
        let mut text = serde_json::to_vec(&line).unwrap_or_default();
        text.push(b'\n');
        Some((Ok::<Bytes, std::io::Error>(Bytes::from(text)), receiver))
    });
    (
        [(CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(body),
    )
        .into_response()
}

/// Progress lines, dropped rather than waited for when the client reads slowly.
pub(crate) fn progress(
    lines: &mpsc::Sender<ImportLine>,
) -> impl FnMut(&'static str, usize, usize) + Send + '_ {
    move |stage, done, total| {
        let _ = lines.try_send(ImportLine::Progress {
            stage: stage.into(),
            done,
            total,
        });
    }
}

/// `refused` with problems, `imported` once written, else `checked`.
pub(crate) fn status(problems: &[Problem], applied: bool) -> &'static str {
    if !problems.is_empty() {
        "refused"
    } else if applied {
        "imported"
    } else {
        "checked"
    }
}

/// Rows with at least one problem.
fn rows_with_problems(problems: &[Problem]) -> usize {
    let mut rows: Vec<usize> = problems.iter().map(|p| p.row).collect();
    rows.dedup();
    rows.len()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
