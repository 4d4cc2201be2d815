//! The Requisitions product through the HTTP API.

mod anonymous;
mod audited;
mod files;
mod fixture;
mod matrix;
mod reports;
mod reviews;
