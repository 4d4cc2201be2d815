//! Garbage as a CSV import file: a table or a refusal, never a panic.
#![no_main]

use attest_import::{Limits, Table, credentials, workers};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK\x03\x04") {
        return;
    }
    if let Ok(table) = Table::read(data, Limits::default()) {
        let _ = credentials(&table);
        let _ = workers(&table);
    }
});
