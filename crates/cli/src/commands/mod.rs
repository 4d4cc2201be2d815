pub(crate) mod analyze;
pub(crate) mod audit;
pub(crate) mod badge;
pub(crate) mod engine;
pub(crate) mod import;
pub(crate) mod keys;
pub(crate) mod migrate;
pub(crate) mod serve;
