//! The background jobs `attest serve` runs beside the HTTP service: the ledger sequencer, the
//! outbox's mail delivery, the daily credential-expiry job and the purge of expired anonymous
//! analyses. Each can also be run once (the CLI and the tests do).

pub(crate) mod anonymous_purge;
pub(crate) mod expiry;
pub(crate) mod kek_rewrap;
pub(crate) mod mail_delivery;
pub(crate) mod sequencer;
