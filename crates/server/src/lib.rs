//! The Attest service: an axum application ([`app`]) served over TLS ([`Listeners`]).
//!
//! Every request gets an id, security headers (HSTS, a strict CSP, `nosniff`, no framing) and,
//! if it fails, one error shape `{code, message, request_id}`; API responses are never cached.

mod app;
mod audit;
mod auth;
mod concurrency;
mod cpu_pool;
mod csv_rows;
mod engine;
mod error;
mod invitations;
mod jobs;
mod json;
mod live;
mod mail;
mod parser;
mod passwords;
mod redirect;
mod request_id;
mod routes;
mod security_headers;
mod serve;
mod state;
mod validation;
mod web;

pub mod tls;

pub use app::app;
pub use audit::{Acting, Caller, ReadTx, Resource, System, Unrecorded, Work};
pub use auth::Links;
pub use auth::{Principal, RateLimits};
pub use concurrency::{Concurrency, ConcurrencyLimits, Costly};
pub use cpu_pool::{CpuPool, CpuPoolSettings};
pub use engine::{EngineSetting, engine_app, quiet_panics, serve_engine};
pub use error::{AppError, ErrorBody};
pub use invitations::invite_imported;
pub use jobs::anonymous_purge::{run_anonymous_purge, run_anonymous_purge_schedule};
pub use jobs::expiry::{ExpiryRun, run_expiry, run_expiry_schedule};
pub use jobs::kek_rewrap::{run_kek_rewrap, run_kek_rewrap_schedule};
pub use jobs::mail_delivery::{deliver_due, purge_old, run as run_worker};
pub use jobs::sequencer::{integrate_everywhere, run_sequencer};
pub use live::LiveUpdates;
pub use mail::{MailError, Mailer};
pub use parser::{ParseFailure, ParserSetting, Parsers, worker_main as parse_worker_main};
pub use passwords::PasswordPool;
pub use security_headers::{CONTENT_SECURITY_POLICY, STRICT_TRANSPORT_SECURITY};
pub use serve::Listeners;
pub use state::{AppSettings, AppState};
