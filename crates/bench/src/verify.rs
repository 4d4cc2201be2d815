//! Export verification (`attest audit verify`'s work) against raw SHA-256 over the same bytes,
//! on one core, from a file of realistic events.

use crate::report::Row;
use attest_ledger::event::leaf_time;
use attest_ledger::export::{self, Header, Line, Options};
use attest_ledger::tree::CompactRange;
use attest_ledger::{Actor, Leaf, LogSigner, Personal, Resource, hex, origin_for};
use sha2::{Digest as _, Sha256};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::time::Instant;
use uuid::Uuid;

fn event(org: Uuid, i: u64) -> (Leaf, Personal) {
    let person = Uuid::from_u128(u128::from(i % 500) + 1_000);
    let personal = Personal {
        ip: Some(format!("203.0.113.{}", i % 250)),
        ua: Some("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36".into()),
        salt: format!("{:032x}", u128::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
    };
    let at = time::OffsetDateTime::UNIX_EPOCH
        + time::Duration::days(20_000)
        + time::Duration::milliseconds(i64::try_from(i).unwrap_or(0) * 37);
    let leaf = Leaf {
        v: Leaf::VERSION,
        org,
        id: Uuid::from_u128(u128::from(i) + (1 << 100)),
        time: leaf_time(at),
        actor: Actor {
            kind: "user".into(),
            user: Some(Uuid::from_u128(7)),
            role: Some("hse_manager".into()),
        },
        action: "member.role_changed".into(),
        resource: Resource {
            kind: "account".into(),
            id: Some(person.to_string()),
        },
        subject: Some(person),
        request: Some(Uuid::from_u128(u128::from(i) + (1 << 90)).to_string()),
        details: serde_json::json!({ "from": "worker", "to": "supervisor" }),
        personal: hex(&personal.digest()),
    };
    (leaf, personal)
}

/// Writes a whole-log export of `n` events; returns the verifier key.
fn write_export(path: &Path, n: u64) -> anyhow::Result<String> {
    let org = Uuid::from_u128(42);
    let signer = LogSigner::new(origin_for(org), &[11; 32]);
    let mut tree = CompactRange::empty(0);
    for i in 0..n {
        tree.append(event(org, i).0.hash());
    }
    let root = tree.root().ok_or_else(|| anyhow::anyhow!("empty tree"))?;
    let header = Header {
        format: export::FORMAT.into(),
        origin: signer.origin().into(),
        vkey: signer.vkey(),
        checkpoint: signer.sign(n, root)?,
        tree_size: n,
        first: 0,
        end: n,
        left: Vec::new(),
        right: Vec::new(),
        consistency: None,
        exported_at: "2026-11-23T00:00:00Z".into(),
        range: serde_json::json!({}),
    };
    let mut out = BufWriter::new(File::create(path)?);
    serde_json::to_writer(&mut out, &header)?;
    out.write_all(b"\n")?;
    for i in 0..n {
        let (leaf, personal) = event(org, i);
        serde_json::to_writer(
            &mut out,
            &Line::new(i, &leaf.hash(), &leaf, Some(&personal)),
        )?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(signer.vkey())
}

/// Raw SHA-256 of every event line of the file: the same bytes the verifier reads.
fn raw_sha256(path: &Path) -> anyhow::Result<(u64, f64)> {
    let mut reader = BufReader::with_capacity(1 << 16, File::open(path)?);
    let mut line = Vec::with_capacity(4096);
    let start = Instant::now();
    reader.read_until(b'\n', &mut line)?;
    let mut events = 0u64;
    let mut sink = 0u8;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        sink ^= Sha256::digest(&line)[0];
        events += 1;
    }
    std::hint::black_box(sink);
    Ok((events, start.elapsed().as_secs_f64()))
}

fn verification(path: &Path, key: &str) -> anyhow::Result<(u64, f64)> {
    let start = Instant::now();
    let report = export::verify(
        BufReader::with_capacity(1 << 16, File::open(path)?),
        &Options {
            key: Some(key.to_owned()),
            previous_checkpoint: None,
        },
    )?;
    Ok((report.events, start.elapsed().as_secs_f64()))
}

/// The verifier key named in an export's header.
fn key_of(path: &Path) -> anyhow::Result<String> {
    let mut first = String::new();
    BufReader::new(File::open(path)?).read_line(&mut first)?;
    let header: Header = serde_json::from_str(&first)?;
    Ok(header.vkey)
}

/// `file`: an export to reuse (written first if missing), e.g. to profile verification alone.
pub(crate) fn run(n: u64, file: Option<&Path>) -> anyhow::Result<Vec<Row>> {
    let dir = tempfile::tempdir()?;
    let path = file.map_or_else(|| dir.path().join("export.jsonl"), Path::to_path_buf);
    let made = Instant::now();
    let key = if path.exists() {
        key_of(&path)?
    } else {
        write_export(&path, n)?
    };
    let size = std::fs::metadata(&path)?.len();
    eprintln!(
        "verification: {n} events, {:.0} MiB export, written in {:.1} s",
        size as f64 / 1_048_576.0,
        made.elapsed().as_secs_f64()
    );
    // Best of three of each, interleaved, with the file in the page cache.
    let (mut raw_best, mut verify_best) = (0.0f64, 0.0f64);
    for _ in 0..3 {
        let (events, secs) = raw_sha256(&path)?;
        raw_best = raw_best.max(events as f64 / secs);
        let (events, secs) = verification(&path, &key)?;
        verify_best = verify_best.max(events as f64 / secs);
    }
    Ok(vec![Row {
        name: "export verification (one core: parse, leaf + personal hashes, tree, signed root)"
            .into(),
        figure: verify_best,
        baseline_name: "raw SHA-256 of each event line".into(),
        baseline: raw_best,
        unit: "events/s",
        target: (Some(1_000_000.0), None),
    }])
}
