//! The Credentials product through the HTTP API.

mod audited;
mod badges;
mod expiry;
pub(crate) mod fixture;
mod imports;
mod live;
mod matrix;
mod personal;
mod readiness;
mod records;
