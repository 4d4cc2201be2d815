//! Garbage into every decoder a gate runs on untrusted input: the badge payload (as text, and as
//! Base45 of the bytes behind the prefix), a status list token and a trust bundle. None may panic.
#![no_main]

use attest_badge::{KeyId, TrustedKey, open_bundle, verify, verify_status_list};
use ed25519_dalek::SigningKey;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = SigningKey::from_bytes(&[7; 32]).verifying_key();
    let trusted = [TrustedKey { kid: KeyId([7; 8]), key, valid_from: 0, valid_until: None }];
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = attest_badge::decode(text);
        let _ = verify(text, &trusted, 1_800_000_000);
    }
    let payload = format!("{}{}", attest_badge::PREFIX, base45::encode(data));
    let _ = verify(&payload, &trusted, 1_800_000_000);
    let _ = verify_status_list(data, &trusted, 1_800_000_000);
    let _ = open_bundle(data, &key, 1_800_000_000, 300);
});
