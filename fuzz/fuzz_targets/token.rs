//! Garbage as a bearer token: every audience checked against the platform's keys refuses it,
//! never panics.
#![no_main]

use attest_crypto::{Audience, TokenKeys};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let keys = TokenKeys::new("tok-fuzz", &[9; 32]);
    let now = time::OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    for audience in [Audience::Access, Audience::MfaChallenge, Audience::ResetPassword, Audience::Invitation] {
        assert!(keys.verify::<serde_json::Value>(token, audience, now).is_err());
    }
});
