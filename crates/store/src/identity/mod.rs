//! Identity: organisations (and the region directory that routes each one to its home region),
//! their sites and crews, people and their memberships and roles, and everything that proves who
//! someone is: accounts and password hashes, sessions and refresh tokens, second factors, and the
//! one-time email links.

pub mod accounts;
pub mod crews;
pub mod directory;
pub mod email_tokens;
pub mod mfa;
pub mod organisations;
pub mod people;
pub mod roles;
pub mod sessions;
pub mod sites;
