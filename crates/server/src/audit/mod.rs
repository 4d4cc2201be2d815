//! The one path by which actions reach the audit ledger: who acts ([`Caller`]), on what
//! ([`Resource`]), and the event that records it ([`event`]). Every product's routes and every
//! job write their audit records through this module.

mod caller;
mod event;

pub(crate) use caller::{Caller, require_any};
pub(crate) use event::{Resource, account_actor, event};
