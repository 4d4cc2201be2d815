//! The one path by which actions reach the audit ledger.
//!
//! A request's [`Caller`] (an extractor: the signed-in member, where the request came from, and
//! the clock) opens the transaction: [`Caller::write`] gives a [`Work`], which records each
//! action ([`Work::record`]) and refuses to commit if nothing was recorded; [`Caller::read`]
//! gives a [`ReadTx`], which PostgreSQL itself keeps from writing. Jobs and the flows before a
//! session exists use the same path with their own actors ([`Caller::system`],
//! [`Caller::own_account`]).

mod acting;
mod caller;
mod event;
mod work;

pub(crate) use acting::OwnAccount;
pub use acting::{Acting, System};
pub use caller::Caller;
pub use event::Resource;
pub(crate) use event::account_actor;
pub use work::{ReadTx, Unrecorded, Work};
