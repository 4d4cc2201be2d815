//! The one path by which actions reach the audit ledger.
//!
//! A request's [`Caller`] (an extractor: the signed-in member, where the request came from, and
//! the clock) opens the transaction: [`Caller::write`] gives a [`Work`], which records each
//! action ([`Work::record`]) and refuses to commit if nothing was recorded; [`Caller::read`]
//! gives a [`ReadTx`], which PostgreSQL itself keeps from writing. Jobs and the flows before a
//! session exists use the same path with their own actors ([`Caller::system`],
//! [`Caller::account`]).

mod acting;
mod caller;
mod event;
mod work;

pub(crate) use caller::{Caller, require_any};
pub(crate) use event::{Resource, account_actor, event};
pub(crate) use work::{ReadTx, Unrecorded, Work};
