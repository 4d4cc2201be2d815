//! Prints the catalogue's precision and recall per category over a labelled set of requisitions
//! (default `crates/reqiq/eval/cases`), with every miss and false alarm, and exits 1 if any
//! category's recall is below 0.9 or more than 5 % of clean requisitions get a finding.

#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command's output"
)]

use attest_reqiq::evaluation::{Case, Evaluation};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = std::env::args_os().nth(1).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("eval/cases"),
        PathBuf::from,
    );
    let cases = match Case::load_dir(&dir) {
        Ok(cases) => cases,
        Err(e) => {
            eprintln!("reqiq-evaluate: {e}");
            return ExitCode::from(2);
        }
    };
    let evaluation = Evaluation::run(&cases);
    for m in &evaluation.mistakes {
        let what = if m.false_alarm {
            "false alarm"
        } else {
            "missed"
        };
        println!("{what:<11} {:<28} {}", m.category.as_str(), m.case);
    }
    println!();
    print!("{}", evaluation.table());
    let shortfalls = evaluation.shortfalls();
    if shortfalls.is_empty() {
        println!("targets met (recall >= 0.9 per category, clean false positives <= 5 %)");
        ExitCode::SUCCESS
    } else {
        for s in shortfalls {
            println!("below target: {s}");
        }
        ExitCode::FAILURE
    }
}
