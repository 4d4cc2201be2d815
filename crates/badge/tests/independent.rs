//! Badges checked by an independent implementation: Python's pycose (with cbor2) verifies our
//! signature with only the public key, and refuses altered badges.

#![expect(clippy::panic, reason = "a test fails by panicking")]

use attest_badge::{Badge, BadgeCredential, BadgeStatus, KeyId, StatusRef, sign};
use ed25519_dalek::SigningKey;
use std::path::{Path, PathBuf};
use std::process::Output;

fn pycose(payload: &str, public_hex: &str) -> Output {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = std::env::var_os("ATTEST_TEST_PYTHON")
        .map_or_else(|| here.join("../../.venv/bin/python"), PathBuf::from);
    std::process::Command::new(&python)
        .arg(here.join("tests/independent/verify_badge.py"))
        .args([payload, public_hex])
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "{} is needed for this test (make test creates it): {e}",
                python.display()
            )
        })
}

#[test]
fn pycose_verifies_our_badges_with_only_the_public_key_and_refuses_altered_ones() {
    let key = SigningKey::from_bytes(&[42; 32]);
    let public_hex: String = key
        .verifying_key()
        .to_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let badge = Badge {
        issuer: "northwind".into(),
        subject: "Wk3q9ZpL0aXe".into(),
        issued_at: 1_796_000_000,
        expires_at: 1_796_086_400,
        name: "Zoe Wilson".into(),
        credentials: vec![BadgeCredential {
            code: "WAH".into(),
            status: BadgeStatus::Valid,
            expires_day: Some(21_000),
        }],
        status: StatusRef {
            index: 7,
            uri: "attest:sl:northwind".into(),
        },
    };
    let payload = sign(&badge, &KeyId([1; 8]), &key).unwrap();
    let ok = pycose(&payload, &public_hex);
    assert!(
        ok.status.success(),
        "{}{}",
        String::from_utf8_lossy(&ok.stdout),
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&ok.stdout).trim(),
        "valid Zoe Wilson"
    );

    // The same badge with one signed byte changed, and signed by another key.
    let mut bytes = base45::decode(&payload[4..]).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    let altered = format!("AT1:{}", base45::encode(&bytes));
    let forged = sign(&badge, &KeyId([1; 8]), &SigningKey::from_bytes(&[43; 32])).unwrap();
    for refused in [altered, forged] {
        let out = pycose(&refused, &public_hex);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("invalid"));
    }
}

/// pycose over the golden vectors: the signature verifies with the vector's key exactly where
/// our verifier says it is good (valid, expired, not yet valid, revoked are refused for their
/// dates or status list, not their signature) and is refused for the altered, forged, truncated,
/// foreign-key and wrong-prefix ones.
#[test]
fn pycose_agrees_with_the_golden_vectors_on_every_signature() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let field = |name: &str| -> String {
            let at = text
                .find(&format!("\"{name}\": \""))
                .unwrap_or_else(|| panic!("{}: no {name}", path.display()));
            let rest = &text[at + name.len() + 5..];
            rest[..rest.find('"').unwrap()].to_owned()
        };
        let payload = field("PREFIX");
        let key = field("public_key");
        let reason = text
            .split("\"EXPECTEDREASON\": ")
            .nth(1)
            .and_then(|r| r.split([',', '\n']).next())
            .unwrap_or_default()
            .trim()
            .trim_matches('"')
            .to_owned();
        let signature_good = matches!(
            reason.as_str(),
            "null" | "expired" | "not_yet_valid" | "revoked"
        );
        let out = pycose(&payload, &key);
        assert_eq!(
            out.status.success(),
            signature_good,
            "{} ({reason}): {}",
            path.display(),
            String::from_utf8_lossy(&out.stdout)
        );
        checked += 1;
    }
    assert_eq!(checked, 10);
}
