//! `attest`: the Attest server and its operator's tools.

mod banner;
mod commands;
mod config;
mod kek;
mod logging;
mod runtime;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc, not the system allocator: glibc's malloc raises its mmap threshold to the size of
/// the largest block freed, so after a few argon2id hashes (19 MiB each) every later hash's
/// memory stayed in the heap of whichever thread ran it, and the server grew to 290 MiB under
/// the load benchmark. mimalloc gives large blocks back to the system when they are freed.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "attest",
    version,
    about = "Attest: workforce compliance with signed, offline-verifiable badges and a tamper-evident audit ledger.",
    long_about = "Attest keeps workers' safety credentials, signs their gate badges, checks job \
requisitions for compliance concerns, and records every action in a tamper-evident audit ledger.\n\n\
Start here:  attest serve --demo\n\
That starts Attest over HTTPS on https://localhost:8443 with two demo organisations, using a \
private PostgreSQL cluster it runs itself (no database to set up). Settings come from the \
environment or a --config file; every one is described in .env.example."
)]
struct Cli {
    /// A file of KEY=value settings (the same keys as the environment, which wins).
    #[arg(long, global = true, env = "ATTEST_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the HTTPS server (and, without DATABASE_URL, the embedded PostgreSQL cluster).
    ///
    /// On first start this creates the data directory, the key-encryption key, a self-signed
    /// certificate for localhost and the database, and migrates it. It prints where to sign in.
    /// Stop it with Ctrl-C; the embedded cluster is stopped cleanly with it.
    Serve {
        /// Seed the demo organisations (Northwind Constructors in North America, Maple Ridge
        /// Energy in Canada) if they do not exist yet, and print their sign-in details.
        #[arg(long)]
        demo: bool,
    },
    /// Bring every region's database schema up to date, then exit.
    ///
    /// With the embedded default this starts and stops the private cluster. With DATABASE_URL it
    /// needs ATTEST_MIGRATION_URL (and ATTEST_MIGRATION_URL_CA): the owner role's URLs.
    Migrate,
    /// Manage encryption keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Verify and export the tamper-evident audit ledger.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Import from CSV or XLSX files (all or nothing, every problem reported by row and column).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Workers' signed badges: verify one offline, write a trust bundle, rotate a badge key.
    #[command(subcommand)]
    Badge(BadgeCommand),
    /// Run the requisition engine as a separate process.
    #[command(subcommand)]
    Engine(EngineCommand),
    /// Check a job requisition for potential compliance concerns (California first), offline.
    ///
    /// Prints each finding in its context with the reason, citation and a suggested rewrite, then
    /// a score. Exits 0 when nothing of medium or high severity is found, 1 otherwise, 2 if the
    /// file cannot be read. Informational, not legal advice.
    Analyze {
        /// Structured fields as JSON: work_state, work_city, remote, employees_total,
        /// employees_in_state, pay_min, pay_max, pay_period (hour | year), government_contract,
        /// construction_trade, nonprofit.
        #[arg(long, value_name = "FIELDS.json")]
        fields: Option<PathBuf>,
        /// `text` (default) or `json` (the engine's report).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The requisition: UTF-8 text, a Word document (.docx) or a PDF, or - for standard input.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum BadgeCommand {
    /// Verify a badge offline against a trust bundle, as a gate does.
    ///
    /// Exits 0 if the badge is valid, 1 if it is not (the reason is printed), 2 if the check
    /// could not be made (unreadable input, or a bundle that is not signed by the platform key,
    /// too old, or newer than the clock). Needs no server or network when --platform-key is given;
    /// without it, this installation's platform key is read from its database.
    Verify {
        /// The trust bundle (`attest badge bundle`, or `/api/v1/badges/bundle`).
        #[arg(long, value_name = "FILE")]
        bundle: PathBuf,
        /// Verify as of this time (RFC 3339) instead of now.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// The pinned platform key (base64url, as `/api/v1/badges/platform-key` gives it, or a
        /// file holding it). Base64url may start with `-`.
        #[arg(long, value_name = "KEY", allow_hyphen_values = true)]
        platform_key: Option<String>,
        /// `text` (default) or `json`: `{valid, reason, name, credentials: [{code, name,
        /// status, expires}], data_as_of}`.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The badge: its payload (`AT1:…`), a PNG image of its QR code, a file holding the
        /// payload, or - for standard input.
        input: String,
    },
    /// Write an organisation's current trust bundle (its badge keys, status list and credential
    /// type names, signed by the platform key) to a file, and print the platform key to pin.
    Bundle {
        /// The organisation's short name.
        #[arg(long)]
        org: String,
        /// Where to write it.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Sign an organisation's badges with a new key from now on; the previous key keeps
    /// verifying the badges it signed until they expire (both are in the bundle meanwhile).
    RotateKey {
        /// The organisation's short name.
        #[arg(long)]
        org: String,
    },
}

/// How `attest badge verify` and `attest analyze` report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// Workers: columns email, name, and optionally crew and job_role (existing ones, by name).
    /// New addresses become workers and are sent an invitation. Exit status as for credentials.
    Workers {
        /// The organisation's short name.
        #[arg(long)]
        org: String,
        /// Check every row and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// A CSV (UTF-8) or XLSX file.
        file: PathBuf,
    },
    /// Workers' credentials: columns email, credential (code or name), issuer, issued_on, and
    /// optionally expires_on, number, notes. Exit status 0 imported (or checked), 1 refused, 2
    /// the file or the command could not be used.
    Credentials {
        /// The organisation's short name.
        #[arg(long)]
        org: String,
        /// Check every row and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// A CSV (UTF-8) or XLSX file.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check an audit export offline: every event against the hash in the log, the log's root
    /// against its signed checkpoint, and (given one) that the log extends an earlier checkpoint.
    ///
    /// Exits 0 if the export verifies, 1 naming the first bad event if it does not, 2 if it
    /// cannot be read. Needs no
    /// server, database or network; docs/audit.md specifies every check, so it can be
    /// reimplemented independently.
    Verify {
        /// The export (JSON Lines, as the web app or `attest audit export` writes it); - for stdin.
        export: PathBuf,
        /// An earlier checkpoint this log must extend: a saved signed note, or an earlier export.
        #[arg(long, value_name = "FILE")]
        previous_checkpoint: Option<PathBuf>,
        /// The organisation's published verifier key (`attest/<id>+<hash>+<key>`, or a file
        /// holding it). Without it the export's own key is trusted.
        #[arg(long, value_name = "PUBLIC_KEY")]
        key: Option<String>,
    },
    /// Export an organisation's log, with its signed checkpoint and proofs, as JSON Lines.
    ///
    /// Reads the database directly (with the embedded default, stop the server first; the web
    /// app and the API export while it runs). The export is itself an audited event.
    Export {
        /// The organisation's short name (slug).
        #[arg(long)]
        org: String,
        /// Events from this time (RFC 3339), inclusive.
        #[arg(long)]
        from: Option<String>,
        /// Events before this time (RFC 3339).
        #[arg(long)]
        to: Option<String>,
        /// Include the proof that the log extends the tree of this size (an earlier checkpoint's).
        #[arg(long, value_name = "SIZE")]
        since_size: Option<u64>,
        /// Where to write it (default: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum EngineCommand {
    /// Serve the requisition engine (text extraction and analysis) to the server, on a unix
    /// socket or a loopback port only; point the server at it with ATTEST_ENGINE
    /// (unix:PATH or 127.0.0.1:PORT). Stop it with Ctrl-C.
    Serve {
        /// The unix socket to create (owner-only; a stale socket file is replaced).
        #[arg(
            long,
            value_name = "PATH",
            conflicts_with = "listen",
            required_unless_present = "listen"
        )]
        socket: Option<PathBuf>,
        /// A loopback address such as 127.0.0.1:7070 (any other address is refused).
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Add a new key-encryption-key version and re-wrap every organisation's data keys with it.
    ///
    /// Encrypted data is not touched: only the small wrapped data keys change. Older KEK
    /// versions stay in the key file so that anything not yet re-wrapped still opens.
    RotateKek,
    /// Show the key-encryption key's provider, its versions and their ages, and how many keys
    /// still wait to be re-wrapped after a rotation.
    Status,
}

fn main() -> ExitCode {
    // A parser worker (started by the server for each untrusted file) does nothing else: no
    // settings, no logging, no runtime.
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == "parse-worker")
    {
        return attest_server::parse_worker_main();
    }
    let cli = Cli::parse();
    if let Command::Audit(AuditCommand::Verify {
        export,
        previous_checkpoint,
        key,
    }) = &cli.command
    {
        return verify(export, previous_checkpoint.as_deref(), key.as_deref());
    }
    if let Command::Analyze {
        fields,
        format,
        file,
    } = &cli.command
    {
        return match commands::analyze::run(file, fields.as_deref(), *format == Format::Json) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::FAILURE,
            Err(error) => {
                let _ = report(&error);
                ExitCode::from(2)
            }
        };
    }
    if let Command::Badge(BadgeCommand::Verify {
        bundle,
        at,
        platform_key: Some(key),
        format,
        input,
    }) = &cli.command
    {
        let request = badge_request(bundle, at.as_ref(), input, *format);
        return verify_badge(&request, commands::badge::parse_platform_key(key));
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return report(&anyhow::Error::new(error)),
    };
    // An import or badge check that could not run exits 2 (1 means refused or invalid).
    let import = matches!(
        cli.command,
        Command::Import(_) | Command::Badge(BadgeCommand::Verify { .. })
    );
    let result = runtime.block_on(async {
        let source = config::Source::load(cli.config.as_deref())?;
        let config = config::Config::from_source(&source)?;
        logging::init(&config)?;
        match cli.command {
            Command::Serve { demo } => commands::serve::run(config, demo).await,
            Command::Migrate => commands::migrate::run(config).await,
            Command::Engine(EngineCommand::Serve { socket, listen }) => {
                commands::engine::serve(&config, socket, listen).await
            }
            Command::Keys(KeysCommand::RotateKek) => commands::keys::rotate_kek(config).await,
            Command::Keys(KeysCommand::Status) => commands::keys::status(config).await,
            Command::Audit(AuditCommand::Export {
                org,
                from,
                to,
                since_size,
                output,
            }) => {
                let request = commands::audit::ExportRequest {
                    org,
                    from,
                    to,
                    since_size,
                    output,
                };
                commands::audit::export(config, request).await
            }
            Command::Audit(AuditCommand::Verify { .. }) | Command::Analyze { .. } => Ok(()),
            Command::Badge(BadgeCommand::Verify {
                bundle,
                at,
                format,
                input,
                ..
            }) => {
                let request = badge_request(&bundle, at.as_ref(), &input, format);
                let key = commands::badge::installed_platform_key(&config).await;
                return Ok(verify_badge(&request, key));
            }
            Command::Badge(BadgeCommand::Bundle { org, output }) => {
                commands::badge::bundle(config, org, output).await
            }
            Command::Badge(BadgeCommand::RotateKey { org }) => {
                commands::badge::rotate_key(config, org).await
            }
            Command::Import(command) => {
                use commands::import::{ImportRequest, Kind};
                let request = match command {
                    ImportCommand::Credentials { org, dry_run, file } => ImportRequest {
                        kind: Kind::Credentials,
                        org,
                        file,
                        dry_run,
                    },
                    ImportCommand::Workers { org, dry_run, file } => ImportRequest {
                        kind: Kind::Workers,
                        org,
                        file,
                        dry_run,
                    },
                };
                return match commands::import::run(config, request).await {
                    Ok(true) => Ok(ExitCode::SUCCESS),
                    Ok(false) => Ok(ExitCode::FAILURE),
                    Err(error) => Err(error),
                };
            }
        }
        .map(|()| ExitCode::SUCCESS)
    });
    match result {
        Ok(code) => code,
        Err(error) => {
            let _ = report(&error);
            if import {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn badge_request(
    bundle: &std::path::Path,
    at: Option<&String>,
    input: &str,
    format: Format,
) -> commands::badge::VerifyRequest {
    commands::badge::VerifyRequest {
        bundle: bundle.to_owned(),
        at: at.cloned(),
        input: input.to_owned(),
        json: format == Format::Json,
    }
}

/// `attest badge verify`: exit 0 valid, 1 invalid, 2 could not check.
fn verify_badge(
    request: &commands::badge::VerifyRequest,
    key: anyhow::Result<ed25519_dalek::VerifyingKey>,
) -> ExitCode {
    match key.and_then(|key| commands::badge::verify(request, &key)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            let _ = report(&error);
            ExitCode::from(2)
        }
    }
}

/// `attest audit verify`: offline, before any configuration is read.
fn verify(
    export: &std::path::Path,
    previous: Option<&std::path::Path>,
    key: Option<&str>,
) -> ExitCode {
    use commands::audit::VerifyOutcome;
    use std::io::Write as _;
    match commands::audit::verify(export, previous, key) {
        Ok(VerifyOutcome::Verified(report)) => {
            let _ = writeln!(std::io::stdout(), "{}", commands::audit::describe(&report));
            ExitCode::SUCCESS
        }
        Ok(VerifyOutcome::Failed(error)) => {
            let _ = writeln!(std::io::stderr(), "attest: NOT VERIFIED: {error}");
            ExitCode::FAILURE
        }
        Err(error) => {
            report(&error);
            ExitCode::from(2)
        }
    }
}

fn report(error: &anyhow::Error) -> ExitCode {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "attest: {error:#}");
    ExitCode::FAILURE
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_tells_a_newcomer_how_to_start() {
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("attest serve --demo"), "{help}");
        assert!(help.contains(".env.example"), "{help}");
    }
}
