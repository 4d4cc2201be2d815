//! The Requisitions product through the HTTP API.

mod anonymous;
mod audited;
mod engine;
mod files;
mod fixture;
mod matrix;
mod reports;
mod reviews;
