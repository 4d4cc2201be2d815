//! Garbage as an audit export handed to the offline verifier (`attest audit verify`): verified
//! or refused with a reason, never a panic.
#![no_main]

use attest_ledger::export::{Options, verify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = verify(data, &Options { key: None, previous_checkpoint: None });
    let with_key = Options {
        key: Some("attest/x+1a2b3c4d+AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8w".to_owned()),
        previous_checkpoint: std::str::from_utf8(data).ok().map(str::to_owned),
    };
    let _ = verify(data, &with_key);
});
