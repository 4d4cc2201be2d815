//! Untrusted files (requisition text, DOCX and PDF; import CSV and XLSX) are parsed outside the
//! server process, each in a worker process of its own (`attest parse-worker`) that limits its
//! own address space, CPU time and files before it reads the file. Whatever a hostile file does
//! to a parser, it does it to that worker: one that runs out of memory aborts, one that runs
//! past the deadline is killed, and the request gets a clear 4xx while the server's own memory
//! never moves. At most [`ParserSetting::max_workers`] run at once; a file that waits too long
//! for a place gets `503` with `Retry-After`. A place is freed the moment its worker ends or is
//! killed, never held by an abandoned thread.

mod protocol;
mod worker;

pub use worker::worker_main;

use attest_import::{Limits, Table};
use attest_reqiq::ExtractError;
use protocol::{Answer, Header, Job};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::sync::Semaphore;

/// How parser workers are started and limited.
#[derive(Debug, Clone)]
pub struct ParserSetting {
    /// The program that is a worker (the `attest` binary).
    pub program: PathBuf,
    /// Its arguments (`parse-worker`).
    pub args: Vec<String>,
    /// Each worker's address space, in bytes.
    pub memory_limit: u64,
    /// Longest one file may take to read, from the worker's start.
    pub deadline: Duration,
    /// Most workers at once.
    pub max_workers: usize,
    /// Longest a file waits for a place before `503`.
    pub queue_wait: Duration,
}

impl ParserSetting {
    /// Workers started as `program args…`, with the default limits: 512 MiB, 15 s, 4 at once.
    pub fn new(program: PathBuf, args: Vec<String>) -> Self {
        Self {
            program,
            args,
            memory_limit: 512 * 1024 * 1024,
            deadline: Duration::from_secs(15),
            max_workers: 4,
            queue_wait: Duration::from_secs(3),
        }
    }

    /// This very program, with `parse-worker` (how `attest` starts its workers).
    pub fn this_program() -> std::io::Result<Self> {
        Ok(Self::new(
            std::env::current_exe()?,
            vec!["parse-worker".to_owned()],
        ))
    }
}

/// Why a file was not parsed, apart from the file's own faults.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseFailure {
    /// No worker place came free in time.
    #[error("every parser worker is busy")]
    Busy,
    /// The worker ran out of memory or time: the file demands more than a file may.
    #[error("the file needed more memory or time than a worker has")]
    TooDemanding,
    /// The worker could not be started or answered nonsense (our fault, not the file's).
    #[error("parser worker failed: {0}")]
    Broken(String),
}

/// The parser workers: a handle the server's requests share.
#[derive(Debug, Clone)]
pub struct Parsers {
    setting: Arc<ParserSetting>,
    places: Arc<Semaphore>,
}

/// Largest answer read back (a table at its limits, as JSON).
const MAX_ANSWER_BYTES: u64 = 256 * 1024 * 1024;

impl Parsers {
    pub fn new(setting: ParserSetting) -> Self {
        let places = Arc::new(Semaphore::new(setting.max_workers.max(1)));
        Self {
            setting: Arc::new(setting),
            places,
        }
    }

    /// A requisition file's text, or why it cannot be read.
    pub async fn extract_text(
        &self,
        file: &[u8],
    ) -> Result<Result<String, ExtractError>, ParseFailure> {
        match self.run(Job::Text, Limits::default(), file).await? {
            Answer::Text(text) => Ok(Ok(text)),
            Answer::TextRefused { code, detail } => ExtractError::from_code(&code, &detail)
                .map(Err)
                .ok_or_else(|| ParseFailure::Broken(format!("unknown code {code:?}"))),
            _ => Err(ParseFailure::Broken("an answer to another job".to_owned())),
        }
    }

    /// An import file's table, or why it cannot be read (in people's words).
    pub async fn read_table(
        &self,
        file: &[u8],
        limits: Limits,
    ) -> Result<Result<Table, String>, ParseFailure> {
        match self.run(Job::Table, limits, file).await? {
            Answer::Table(table) => Ok(Ok(table)),
            Answer::TableRefused { message } => Ok(Err(message)),
            _ => Err(ParseFailure::Broken("an answer to another job".to_owned())),
        }
    }

    /// Runs one job in a worker of its own, holding a place until the worker has ended.
    async fn run(&self, job: Job, limits: Limits, file: &[u8]) -> Result<Answer, ParseFailure> {
        let place = tokio::time::timeout(
            self.setting.queue_wait,
            Arc::clone(&self.places).acquire_owned(),
        )
        .await
        .map_err(|_| ParseFailure::Busy)?
        .map_err(|_| ParseFailure::Busy)?;
        let setting = &self.setting;
        let header = Header {
            job,
            memory_limit: setting.memory_limit,
            cpu_seconds: setting.deadline.as_secs().saturating_add(2),
            length: file.len() as u64,
            limits,
        };
        let mut child = tokio::process::Command::new(&setting.program)
            .args(&setting.args)
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| ParseFailure::Broken(format!("starting a worker: {e}")))?;
        let exchange = exchange(&mut child, &header, file);
        let outcome = tokio::time::timeout(setting.deadline, exchange).await;
        let result = match outcome {
            Ok(Ok((status, answer, stderr))) => judge(status, &answer, &stderr),
            Ok(Err(e)) => Err(ParseFailure::Broken(format!("talking to a worker: {e}"))),
            Err(_) => {
                tracing::warn!(?job, "a parser worker ran past its deadline and was killed");
                Err(ParseFailure::TooDemanding)
            }
        };
        // The worker is gone before its place is given back.
        let _ = child.start_kill();
        let _ = child.wait().await;
        drop(place);
        result
    }
}

/// Writes the header and file, reads the answer and what the worker said on standard error, and
/// waits for it to end.
async fn exchange(
    child: &mut tokio::process::Child,
    header: &Header,
    file: &[u8],
) -> std::io::Result<(std::process::ExitStatus, Vec<u8>, Vec<u8>)> {
    let mut stdin = child.stdin.take().ok_or(std::io::ErrorKind::BrokenPipe)?;
    let stdout = child.stdout.take().ok_or(std::io::ErrorKind::BrokenPipe)?;
    let stderr = child.stderr.take().ok_or(std::io::ErrorKind::BrokenPipe)?;
    let mut line = serde_json::to_vec(header).map_err(std::io::Error::other)?;
    line.push(b'\n');
    let write = async move {
        // A worker that dies early closes its end: that shows in its exit status.
        let _ = stdin.write_all(&line).await;
        let _ = stdin.write_all(file).await;
        let _ = stdin.shutdown().await;
    };
    let read_out = async move {
        let mut answer = Vec::new();
        stdout
            .take(MAX_ANSWER_BYTES + 1)
            .read_to_end(&mut answer)
            .await
            .map(|_| answer)
    };
    let read_err = async move {
        let mut said = Vec::new();
        let _ = stderr.take(4096).read_to_end(&mut said).await;
        said
    };
    let ((), answer, said) = tokio::join!(write, read_out, read_err);
    let status = child.wait().await?;
    Ok((status, answer?, said))
}

/// What the worker's end says: its answer, or why there is none.
fn judge(
    status: std::process::ExitStatus,
    answer: &[u8],
    stderr: &[u8],
) -> Result<Answer, ParseFailure> {
    use std::os::unix::process::ExitStatusExt as _;
    if status.code() == Some(2) {
        return Err(ParseFailure::Broken(
            "the worker could not take the job".to_owned(),
        ));
    }
    if status.success() {
        if answer.len() as u64 > MAX_ANSWER_BYTES {
            return Err(ParseFailure::TooDemanding);
        }
        return serde_json::from_slice(answer)
            .map_err(|e| ParseFailure::Broken(format!("an unreadable answer: {e}")));
    }
    // Rust aborts when an allocation fails, after saying so on standard error; the CPU limit
    // ends a worker with SIGXCPU.
    let out_of_memory = String::from_utf8_lossy(stderr).contains("memory allocation of");
    let signal = status.signal();
    tracing::warn!(
        ?signal,
        code = status.code(),
        out_of_memory,
        "a parser worker ended without an answer"
    );
    Err(ParseFailure::TooDemanding)
}
