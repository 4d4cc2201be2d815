//! The parser worker: a short-lived process that reads one untrusted file and answers. It reads
//! its header, then puts hard limits on itself before it reads the file: its address space
//! (`RLIMIT_AS`, so an allocation past it fails and the process aborts), its CPU time, no files
//! written, no core dumps (a dump would hold the file). A panic ends it quietly (a panic message
//! could quote the file). Its environment is empty: the server starts it with nothing inherited.

use super::protocol::{Answer, Header, Job};
use nix::sys::resource::{Resource, setrlimit};
use std::io::{self, BufRead as _, Read as _, Write as _};
use std::process::ExitCode;

/// Longest header line.
const MAX_HEADER: u64 = 4096;

/// Runs one job from standard input to standard output. Exit status 0 with an answer on
/// standard output; anything else means the file could not be read within the limits.
pub fn worker_main() -> ExitCode {
    std::panic::set_hook(Box::new(|_| {}));
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(2),
    }
}

fn run() -> io::Result<()> {
    let mut input = io::stdin().lock();
    let mut line = Vec::new();
    (&mut input).take(MAX_HEADER).read_until(b'\n', &mut line)?;
    let header: Header = serde_json::from_slice(&line).map_err(io::Error::other)?;
    limit_self(&header)?;
    let length = usize::try_from(header.length).map_err(io::Error::other)?;
    let mut file = Vec::with_capacity(length);
    input.take(header.length).read_to_end(&mut file)?;
    if file.len() != length {
        return Err(io::Error::from(io::ErrorKind::UnexpectedEof));
    }
    let answer =
        std::panic::catch_unwind(|| answer(&header, &file)).unwrap_or_else(|_| match header.job {
            Job::Text => Answer::TextRefused {
                code: "damaged_document".to_owned(),
                detail: String::new(),
            },
            Job::Table => Answer::TableRefused {
                message: "the file could not be read".to_owned(),
            },
        });
    drop(file);
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, &answer).map_err(io::Error::other)?;
    out.flush()
}

fn limit_self(header: &Header) -> io::Result<()> {
    let limit = |resource, value| setrlimit(resource, value, value).map_err(io::Error::other);
    limit(Resource::RLIMIT_AS, header.memory_limit)?;
    limit(Resource::RLIMIT_CPU, header.cpu_seconds)?;
    limit(Resource::RLIMIT_FSIZE, 0)?;
    limit(Resource::RLIMIT_CORE, 0)
}

fn answer(header: &Header, file: &[u8]) -> Answer {
    match header.job {
        Job::Text => match attest_reqiq::extract_text(file) {
            Ok(text) => Answer::Text(text),
            Err(e) => Answer::TextRefused {
                code: e.code().to_owned(),
                detail: e.detail().to_owned(),
            },
        },
        Job::Table => match attest_import::Table::read(file, header.limits) {
            Ok(table) => Answer::Table(table),
            Err(e) => Answer::TableRefused {
                message: e.to_string(),
            },
        },
    }
}
