//! Offline badge verification (what a gate does per scan: Base45, CBOR, the issuer's keys, the
//! Ed25519 signature, validity, the status list, type names) against raw Ed25519 `verify_strict`
//! of the same signature over the same bytes, on one core; and badge sizes.

use crate::measure::{interleaved, rate};
use crate::report::Row;
use attest_badge::{
    Badge, BadgeCredential, BadgeStatus, BundleKey, KeyId, StatusList, StatusRef, TrustBundle,
    TypeName, open_bundle, qr_version, sign, sign_bundle, sign_status_list,
};
use ed25519_dalek::{Signature, SigningKey};
use std::io::Write as _;

const NOW: i64 = 1_796_000_000;
const CODES: [&str; 12] = [
    "FACPR", "WAH", "FALL", "FORK", "WHMIS", "H2S", "CSE", "LOTO", "GD", "FW", "AWP", "SCAF",
];

fn badge(credentials: usize) -> Badge {
    Badge {
        issuer: "northwind".into(),
        subject: "Wk3q9ZpL0aXe".into(),
        issued_at: NOW - 600,
        expires_at: NOW + 86_400,
        name: "Chloé Bouchard".into(),
        credentials: CODES
            .iter()
            .take(credentials)
            .enumerate()
            .map(|(i, code)| BadgeCredential {
                code: (*code).into(),
                status: BadgeStatus::Valid,
                expires_day: Some(21_000 + i64::try_from(i).unwrap_or(0) * 97),
            })
            .collect(),
        status: StatusRef {
            index: 4_321,
            uri: "attest:sl:northwind".into(),
        },
    }
}

pub(crate) fn run(seconds: f64) -> anyhow::Result<Vec<Row>> {
    let key = SigningKey::from_bytes(&[0x4e; 32]);
    let kid = KeyId(*b"nwbadge1");
    let platform = SigningKey::from_bytes(&[0x50; 32]);
    let mut list = StatusList::new(10_000);
    for i in (0..10_000).step_by(97) {
        list.revoke(i);
    }
    let token = sign_status_list(
        &list,
        "attest:sl:northwind",
        NOW - 60,
        NOW + 86_400,
        300,
        &kid,
        &key,
    )?;
    let bundle = TrustBundle {
        issued_at: NOW - 60,
        max_offline_age: 86_400,
        keys: vec![BundleKey {
            org: "northwind".into(),
            kid,
            public_key: key.verifying_key().to_bytes(),
            valid_from: NOW - 30 * 86_400,
            valid_until: None,
        }],
        status_lists: vec![token],
        type_names: CODES
            .iter()
            .map(|c| TypeName {
                org: "northwind".into(),
                code: (*c).into(),
                name: format!("{c} training"),
            })
            .collect(),
    };
    let gate = open_bundle(
        &sign_bundle(&bundle, &platform)?,
        &platform.verifying_key(),
        NOW,
        300,
    )?;
    let payload = sign(&badge(6), &kid, &key)?;

    // The baseline: the very same signature over the very same bytes (the badge's COSE
    // Sig_structure), checked with nothing else around it.
    let (_, _, signed) = attest_badge::decode(&payload)?;
    let mut message = vec![0x84, 0x6a];
    message.extend_from_slice(b"Signature1");
    for (i, part) in [signed.protected(), &[][..], signed.payload()]
        .into_iter()
        .enumerate()
    {
        if i == 1 {
            message.push(0x40);
            continue;
        }
        anyhow::ensure!(part.len() < 0x100, "a part longer than the bench expects");
        if part.len() < 24 {
            message.push(0x40 | u8::try_from(part.len())?);
        } else {
            message.extend_from_slice(&[0x58, u8::try_from(part.len())?]);
        }
        message.extend_from_slice(part);
    }
    let signature = Signature::from_slice(signed.signature())?;
    let public = key.verifying_key();
    anyhow::ensure!(
        public.verify_strict(&message, &signature).is_ok(),
        "the baseline message is not what was signed"
    );
    let (raw, full) = interleaved(
        seconds,
        || public.verify_strict(&message, &signature).is_ok(),
        || gate.check(&payload, NOW).valid,
    );
    if std::env::var_os("ATTEST_BENCH_BREAKDOWN").is_some() {
        let d = rate(seconds, || attest_badge::decode(&payload).is_ok());
        let b = rate(seconds, || {
            base45::decode(payload.trim_start_matches("AT1:")).is_ok()
        });
        eprintln!("decode only: {d:.0}/s; base45 only: {b:.0}/s");
    }

    let mut sizes = std::io::stderr().lock();
    writeln!(
        sizes,
        "| credentials on the badge | payload characters | QR version (ECC M) |"
    )?;
    writeln!(sizes, "|---:|---:|---:|")?;
    for n in [1, 6, 12] {
        let p = sign(&badge(n), &kid, &key)?;
        writeln!(sizes, "| {n} | {} | {} |", p.len(), qr_version(&p)?)?;
    }
    Ok(vec![Row {
        name: "offline badge verification (gate check, 6 credentials), per core".into(),
        figure: full,
        baseline_name: "raw Ed25519 verify_strict".into(),
        baseline: raw,
        unit: "badges/s",
        target: (None, Some(0.8)),
    }])
}
