//! Store integration tests: real PostgreSQL (the shared test cluster), a fresh database per test,
//! connected as `attest_app` unless a test says otherwise.

mod audit;
mod context;
mod credentials;
mod data_keys;
mod demo;
mod embedded;
mod fixture;
mod identity;
mod ledger;
mod organisations;
mod outbox;
mod regions;
mod requisitions;
mod rls_invariants;
mod roles;
mod signing_keys;
mod tenant_isolation;
mod visibility;
