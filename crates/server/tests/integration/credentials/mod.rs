//! The Credentials product through the HTTP API.

mod expiry;
mod fixture;
mod live;
mod matrix;
mod personal;
mod readiness;
mod records;
