//! The Attest service: an axum application ([`app`]) served over TLS ([`Listeners`]).
//!
//! Every request gets an id, security headers (HSTS, a strict CSP, `nosniff`, no framing) and,
//! if it fails, one error shape `{code, message, request_id}`; API responses are never cached.

mod anonymous_purge;
mod app;
mod audit;
mod auth;
mod concurrency;
mod cpu_pool;
mod csv_rows;
mod engine;
mod error;
mod expiry;
mod invitations;
mod json;
mod live;
mod mail;
mod parser;
mod passwords;
mod redirect;
mod report_pdf;
mod request_id;
mod routes;
mod security_headers;
mod sequencer;
mod serve;
mod state;
mod validation;
mod web;

pub mod tls;

pub use anonymous_purge::{run_anonymous_purge, run_anonymous_purge_schedule};
pub use app::app;
pub use auth::Links;
pub use auth::{Principal, RateLimits};
pub use concurrency::{Concurrency, ConcurrencyLimits, Costly};
pub use cpu_pool::{CpuPool, CpuPoolSettings};
pub use engine::{EngineSetting, engine_app, quiet_panics, serve_engine};
pub use error::{AppError, ErrorBody};
pub use expiry::{ExpiryRun, run_expiry, run_expiry_schedule};
pub use invitations::{Inviter, invite_imported};
pub use live::LiveUpdates;
pub use mail::{MailError, Mailer, deliver_due, purge_old, run_worker};
pub use parser::{ParseFailure, ParserSetting, Parsers, worker_main as parse_worker_main};
pub use passwords::PasswordPool;
pub use security_headers::{CONTENT_SECURITY_POLICY, STRICT_TRANSPORT_SECURITY};
pub use sequencer::{integrate_everywhere, run_sequencer};
pub use serve::Listeners;
pub use state::{AppSettings, AppState};
