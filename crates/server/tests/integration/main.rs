//! Server integration tests: the real router (in-process, `oneshot`) over real PostgreSQL, and
//! real sockets for TLS and the HTTP redirect.

#![expect(
    clippy::panic,
    clippy::expect_used,
    reason = "test helpers fail the test by panicking"
)]

mod accounts;
mod audit_api;
mod audit_trail;
mod audited_actions;
mod bad_input;
mod credentials;
mod headers;
mod health;
mod kms;
mod members;
mod mfa;
mod openapi;
mod organisations;
mod parser;
mod passwords;
mod races;
mod rate_limits;
mod requisitions;
mod role_matrix;
mod sessions;
mod shedding;
mod sign_in;
mod smtp;
mod support;
mod tls;
mod web;
