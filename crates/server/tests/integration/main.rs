//! Server integration tests: the real router (in-process, `oneshot`) over real PostgreSQL, and
//! real sockets for TLS and the HTTP redirect.

#![expect(
    clippy::panic,
    clippy::expect_used,
    reason = "test helpers fail the test by panicking"
)]

mod bad_input;
mod headers;
mod health;
mod openapi;
mod organisations;
mod support;
mod tls;
mod web;
