//! Golden vectors, laid out like the EU DCC test data (`dgc-testdata`): each file under
//! `tests/vectors/` holds the input (the claims as JSON, their CBOR, the COSE_Sign1, the Base45
//! text and the prefixed payload), the test context (trusted keys with their validity, the status
//! list token, the validation clock) and the expected results. A verifier written elsewhere can
//! run the same files.
//!
//! The files are committed. This test re-derives every one (signatures are deterministic), so a
//! change to the format fails here until the vectors are deliberately regenerated with
//! `ATTEST_WRITE_VECTORS=1 cargo test -p attest-badge --test golden`; and it verifies each
//! against its context and expected result.

#![expect(clippy::panic, reason = "a test fails by panicking")]

use attest_badge::{
    Badge, BadgeCredential, BadgeStatus, Invalid, KeyId, StatusList, StatusRef, TrustedKey,
    check_status, sign, sign_status_list, verify, verify_status_list,
};
use ed25519_dalek::SigningKey;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const ISSUED_AT: i64 = 1_796_000_000; // 2026-11-30T00:53:20Z
const EXPIRES_AT: i64 = ISSUED_AT + 86_400;
const KEY_FROM: i64 = ISSUED_AT - 30 * 86_400;
const URI: &str = "attest:sl:northwind";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap_or_else(|e| panic!("hex: {e}")))
        .collect()
}

fn iso(seconds: i64) -> String {
    let t =
        time::OffsetDateTime::from_unix_timestamp(seconds).unwrap_or_else(|e| panic!("time: {e}"));
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|e| panic!("time: {e}"))
}

fn parse_iso(text: &str) -> i64 {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .unix_timestamp()
}

/// The organisation's key, another organisation's key, and their ids.
fn org_key() -> (KeyId, SigningKey) {
    (KeyId(*b"nwbadge1"), SigningKey::from_bytes(&[0x4e; 32]))
}

fn other_key() -> (KeyId, SigningKey) {
    (KeyId(*b"rvbadge1"), SigningKey::from_bytes(&[0x52; 32]))
}

fn badge(index: u32) -> Badge {
    Badge {
        issuer: "northwind".into(),
        subject: "Wk3q9ZpL0aXe".into(),
        issued_at: ISSUED_AT,
        expires_at: EXPIRES_AT,
        name: "Chloé Bouchard".into(),
        credentials: vec![
            BadgeCredential {
                code: "FALL".into(),
                status: BadgeStatus::Valid,
                expires_day: Some(21_500),
            },
            BadgeCredential {
                code: "H2S".into(),
                status: BadgeStatus::Expiring,
                expires_day: Some(20_800),
            },
            BadgeCredential {
                code: "WHMIS".into(),
                status: BadgeStatus::Valid,
                expires_day: None,
            },
        ],
        status: StatusRef {
            index,
            uri: URI.into(),
        },
    }
}

fn claims_json(b: &Badge) -> Value {
    json!({
        "1 iss": b.issuer, "2 sub": b.subject, "6 iat": b.issued_at, "4 exp": b.expires_at,
        "-65537 name": b.name,
        "-65538 credentials": b.credentials.iter().map(|c| json!([c.code, c.status as u8, c.expires_day])).collect::<Vec<_>>(),
        "65535 status": {"status_list": {"idx": b.status.index, "uri": b.status.uri}},
    })
}

struct Case {
    name: &'static str,
    description: &'static str,
    payload: String,
    clock: i64,
    revoked_index: Option<u32>,
    expected: Option<Invalid>,
}

fn cases() -> Vec<Case> {
    let (kid, key) = org_key();
    let (other_kid, other) = other_key();
    let valid = sign(&badge(7), &kid, &key).unwrap_or_else(|e| panic!("{e}"));
    let at = ISSUED_AT + 3_600;
    let body = valid.trim_start_matches("AT1:");
    let cose = base45::decode(body).unwrap_or_else(|e| panic!("{e}"));
    let altered = |at: usize| {
        let mut bytes = cose.clone();
        bytes[at] ^= 0x01;
        format!("AT1:{}", base45::encode(bytes))
    };
    // The claims' name starts after the signed payload's header; the signature is the last 64 bytes.
    let name_at = cose
        .windows(4)
        .position(|w| w == "Chlo".as_bytes())
        .unwrap_or_else(|| panic!("the name is in the payload"));
    let case = |name, description, payload: String, clock, revoked_index, expected| Case {
        name,
        description,
        payload,
        clock,
        revoked_index,
        expected,
    };
    vec![
        case(
            "valid",
            "A valid badge, checked an hour after issue.",
            valid.clone(),
            at,
            None,
            None,
        ),
        case(
            "expired",
            "The same badge at its expiry.",
            valid.clone(),
            EXPIRES_AT,
            None,
            Some(Invalid::Expired),
        ),
        case(
            "not_yet_valid",
            "The same badge a minute before it was issued (a device clock behind).",
            valid.clone(),
            ISSUED_AT - 60,
            None,
            Some(Invalid::NotYetValid),
        ),
        case(
            "wrong_key",
            "Signed by another organisation's key but naming this organisation's key id.",
            sign(&badge(7), &kid, &other).unwrap_or_else(|e| panic!("{e}")),
            at,
            None,
            Some(Invalid::BadSignature),
        ),
        case(
            "unknown_kid",
            "Signed by a key the gate does not trust.",
            sign(&badge(7), &other_kid, &other).unwrap_or_else(|e| panic!("{e}")),
            at,
            None,
            Some(Invalid::UnknownKey),
        ),
        case(
            "revoked",
            "A valid signature, but its status-list bit is set.",
            valid.clone(),
            at,
            Some(7),
            Some(Invalid::Revoked),
        ),
        case(
            "altered_payload",
            "One bit of the worker's name flipped after signing.",
            altered(name_at),
            at,
            None,
            Some(Invalid::BadSignature),
        ),
        case(
            "altered_signature",
            "One bit of the signature flipped.",
            altered(cose.len() - 5),
            at,
            None,
            Some(Invalid::BadSignature),
        ),
        case(
            "truncated",
            "The payload cut short.",
            valid[..valid.len() - 30].to_owned(),
            at,
            None,
            Some(Invalid::Malformed),
        ),
        case(
            "wrong_prefix",
            "Another format's prefix.",
            valid.replacen("AT1:", "HC1:", 1),
            at,
            None,
            Some(Invalid::WrongPrefix),
        ),
    ]
}

fn vector(case: &Case) -> Value {
    let (kid, key) = org_key();
    let mut list = StatusList::new(64);
    if let Some(i) = case.revoked_index {
        list.revoke(i);
    }
    let token = sign_status_list(
        &list,
        URI,
        ISSUED_AT - 60,
        ISSUED_AT + 2 * 86_400,
        300,
        &kid,
        &key,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let body = case.payload.get(4..).unwrap_or_default();
    let cose = base45::decode(body).ok();
    let decoded = attest_badge::decode(&case.payload).ok();
    json!({
        "JSON": decoded.as_ref().map(|(_, b, _)| claims_json(b)),
        "CBOR": decoded.as_ref().map(|(_, _, s)| hex(s.payload())),
        "COSE": cose.as_deref().map(hex),
        "BASE45": body,
        "PREFIX": case.payload,
        "TESTCTX": {
            "VERSION": 1,
            "SCHEMA": "AT1",
            "DESCRIPTION": case.description,
            "VALIDATIONCLOCK": iso(case.clock),
            "KEYS": [{
                "org": "northwind",
                "kid": hex(&kid.0),
                "public_key": hex(&key.verifying_key().to_bytes()),
                "valid_from": iso(KEY_FROM),
                "valid_until": null,
            }],
            "STATUSLIST": hex(&token),
        },
        "EXPECTEDRESULTS": {
            "EXPECTEDVALIDOBJECT": case.expected.is_none(),
            "EXPECTEDREASON": case.expected.as_ref().map(Invalid::code),
        },
    })
}

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

/// Verifies a vector from its file alone, as any verifier would.
fn check(file: &Value) -> Result<(), Invalid> {
    let ctx = &file["TESTCTX"];
    let clock = parse_iso(ctx["VALIDATIONCLOCK"].as_str().unwrap_or_default());
    let keys: Vec<TrustedKey> = ctx["KEYS"]
        .as_array()
        .unwrap_or_else(|| panic!("KEYS"))
        .iter()
        .map(|k| {
            let kid: [u8; 8] = unhex(k["kid"].as_str().unwrap_or_default())
                .try_into()
                .unwrap_or_else(|_| panic!("kid"));
            let public: [u8; 32] = unhex(k["public_key"].as_str().unwrap_or_default())
                .try_into()
                .unwrap_or_else(|_| panic!("key"));
            TrustedKey {
                kid: KeyId(kid),
                key: ed25519_dalek::VerifyingKey::from_bytes(&public)
                    .unwrap_or_else(|e| panic!("{e}")),
                valid_from: parse_iso(k["valid_from"].as_str().unwrap_or_default()),
                valid_until: k["valid_until"].as_str().map(parse_iso),
            }
        })
        .collect();
    let list = verify_status_list(
        &unhex(ctx["STATUSLIST"].as_str().unwrap_or_default()),
        &keys,
        clock,
    )?;
    let badge = verify(file["PREFIX"].as_str().unwrap_or_default(), &keys, clock)?;
    check_status(&badge, &[list])
}

#[test]
fn the_golden_vectors_are_what_the_code_makes_and_verify_as_expected() {
    let dir = vectors_dir();
    let write = std::env::var_os("ATTEST_WRITE_VECTORS").is_some();
    if write {
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    }
    let cases = cases();
    assert_eq!(cases.len(), 10);
    for case in &cases {
        let path = dir.join(format!("{}.json", case.name));
        let made = vector(case);
        if write {
            let text = serde_json::to_string_pretty(&made).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&path, text + "\n").unwrap_or_else(|e| panic!("{e}"));
        }
        let stored: Value = serde_json::from_slice(
            &std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            stored, made,
            "{}: the format changed (see this file's doc)",
            case.name
        );
        let expected = stored["EXPECTEDRESULTS"]["EXPECTEDREASON"].as_str();
        let got = check(&stored);
        assert_eq!(
            got.as_ref().err().map(Invalid::code),
            expected,
            "{}: {got:?}",
            case.name
        );
        assert_eq!(
            stored["EXPECTEDRESULTS"]["EXPECTEDVALIDOBJECT"].as_bool(),
            Some(got.is_ok())
        );
    }
}
