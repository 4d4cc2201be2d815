//! Parser workers: untrusted files are read in processes of their own, under a memory limit and
//! a deadline, with a bounded number at once. A worker that blows its limit or its deadline is
//! gone and its place is free again; the answer is a clear refusal, and this process's memory
//! does not move.

use crate::support::{parser_setting, parsers};
use attest_reqiq::ExtractError;
use attest_server::{ParseFailure, ParserSetting, Parsers};
use std::time::{Duration, Instant};

/// This process's resident memory, from `/proc/self/status`.
pub(crate) fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// A worker that is `/bin/sh -c script` (it reads the header and file first, as a worker does).
fn shell(script: &str) -> ParserSetting {
    let mut setting = ParserSetting::new("/bin/sh".into(), vec!["-c".into(), script.into()]);
    setting.deadline = Duration::from_secs(1);
    setting
}

#[tokio::test]
async fn a_worker_reads_text_docx_and_pdf_and_refuses_with_the_engine_codes() {
    let parsers = parsers();
    let text = parsers.extract_text(b"Forklift operator.").await.unwrap();
    assert_eq!(text, Ok("Forklift operator.".to_owned()));
    let pdf = attest_reqiq::pdf_fixture(&[vec!["No felons.".to_owned()]]);
    let text = parsers.extract_text(&pdf).await.unwrap().unwrap();
    assert!(text.contains("No felons."), "{text:?}");
    assert_eq!(
        parsers.extract_text(b"%PDF-1.7 junk").await.unwrap(),
        Err(ExtractError::Damaged("its PDF structure could not be read"))
    );
    let table = parsers
        .read_table(
            b"email,name\na@b.example,Ann\n",
            attest_import::Limits::default(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(table.headers, ["email", "name"]);
    let refused = parsers
        .read_table(b"\xff\xfe", attest_import::Limits::default())
        .await
        .unwrap()
        .unwrap_err();
    assert!(refused.contains("UTF-16"), "{refused}");
}

/// Ten object streams of 30 MB each: every one under the reader's per-stream cap, 300 MB in all,
/// each hidden from the first count by a hexadecimal wrapping. Only the worker's memory limit
/// stands in the way, and it holds: the worker dies, the answer is `document_too_complex`, and
/// this process never sees the bytes.
#[tokio::test]
async fn a_file_that_blows_the_workers_memory_kills_only_that_worker() {
    let bomb = hidden_object_stream_bombs(10, 30 * 1024 * 1024);
    assert!(bomb.len() < 2 * 1024 * 1024, "{}", bomb.len());
    let mut setting = parser_setting();
    setting.memory_limit = 256 * 1024 * 1024;
    let parsers = Parsers::new(setting);
    let before = rss_kib();
    let refused = parsers.extract_text(&bomb).await;
    assert_eq!(refused, Err(ParseFailure::TooDemanding));
    let grown = rss_kib().saturating_sub(before);
    assert!(grown < 64 * 1024, "this process grew by {grown} KiB");
    // The next file is read as usual.
    assert_eq!(
        parsers.extract_text(b"Cashier.").await.unwrap(),
        Ok("Cashier.".to_owned())
    );
    // With room for its 300 MB the same file reads: the memory limit is what refused it.
    let mut roomy = parser_setting();
    roomy.memory_limit = 4 * 1024 * 1024 * 1024;
    let text = Parsers::new(roomy)
        .extract_text(&bomb)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(text.trim(), "Warehouse associate");
}

#[tokio::test]
async fn a_worker_past_its_deadline_is_killed_and_its_place_is_free_at_once() {
    let mut setting = shell("cat >/dev/null; echo $$ > \"$0\"; sleep 30");
    setting.args.push(
        tempfile::NamedTempFile::new()
            .unwrap()
            .into_temp_path()
            .keep()
            .unwrap()
            .display()
            .to_string(),
    );
    let pid_file = setting.args.last().cloned().unwrap();
    setting.max_workers = 1;
    setting.queue_wait = Duration::from_millis(200);
    let parsers = Parsers::new(setting);
    for _ in 0..3 {
        let started = Instant::now();
        assert_eq!(
            parsers.extract_text(b"x").await,
            Err(ParseFailure::TooDemanding)
        );
        // Each waited for its own deadline only: never for a place held by the one before.
        assert!(started.elapsed() < Duration::from_secs(5));
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        let pid = pid.trim();
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists()
                || std::fs::read_to_string(format!("/proc/{pid}/stat"))
                    .unwrap_or_default()
                    .contains(") Z"),
            "the worker {pid} is still running"
        );
    }
    let _ = std::fs::remove_file(pid_file);
}

#[tokio::test]
async fn when_every_place_is_taken_a_file_waits_briefly_then_is_told_busy() {
    let mut setting = shell("cat >/dev/null; sleep 3");
    setting.deadline = Duration::from_secs(5);
    setting.max_workers = 1;
    setting.queue_wait = Duration::from_millis(200);
    let parsers = Parsers::new(setting);
    let holder = parsers.clone();
    let first = tokio::spawn(async move { holder.extract_text(b"x").await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(parsers.extract_text(b"y").await, Err(ParseFailure::Busy));
    assert!(first.await.unwrap().is_err());
}

/// A worker must not see the server's environment (database URLs, SMTP credentials).
#[tokio::test]
async fn a_worker_inherits_no_environment() {
    assert!(std::env::var_os("HOME").is_some());
    assert!(std::env::var_os("CARGO_MANIFEST_DIR").is_some());
    let setting = shell(
        "cat >/dev/null; if [ -n \"$HOME\" ] || [ -n \"$CARGO_MANIFEST_DIR\" ]; then exit 3; fi; printf '{\"text\":\"clean\"}'",
    );
    let answer = Parsers::new(setting).extract_text(b"x").await;
    assert_eq!(answer, Ok(Ok("clean".to_owned())));
}

#[tokio::test]
async fn a_worker_that_cannot_start_or_answers_nonsense_is_our_fault_not_the_files() {
    let missing = Parsers::new(ParserSetting::new("/nonexistent/attest".into(), Vec::new()));
    assert!(matches!(
        missing.extract_text(b"x").await,
        Err(ParseFailure::Broken(_))
    ));
    let nonsense = Parsers::new(shell("cat >/dev/null; echo not json"));
    assert!(matches!(
        nonsense.extract_text(b"x").await,
        Err(ParseFailure::Broken(_))
    ));
}

/// A one-page PDF whose cross-reference stream puts objects 7, 8, … in object streams 6, 16,
/// …, each holding a string of `len` spaces, compressed and wrapped in hexadecimal.
pub(crate) fn hidden_object_stream_bombs(count: usize, len: usize) -> Vec<u8> {
    use std::io::Write as _;
    // Object `id` in a stream of its own: `id 0 (…)`, compressed, in hexadecimal.
    let spaces = vec![b' '; len];
    let hex_stream = |id: usize| {
        let header = format!("{id} 0 ");
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let _ = zlib.write_all(header.as_bytes());
        let _ = zlib.write_all(b"(");
        let _ = zlib.write_all(&spaces);
        let _ = zlib.write_all(b")");
        let compressed = zlib.finish().unwrap_or_default();
        let hex: Vec<u8> = compressed
            .iter()
            .flat_map(|b| format!("{b:02x}").into_bytes())
            .chain(*b">")
            .collect();
        (header.len(), hex)
    };
    let mut pdf = b"%PDF-1.5\n".to_vec();
    let mut offsets: Vec<usize> = Vec::new();
    let mut object = |pdf: &mut Vec<u8>, id: usize, body: &[u8]| {
        offsets.push(pdf.len());
        pdf.extend(format!("{id} 0 obj\n").bytes());
        pdf.extend(body);
        pdf.extend(b"\nendobj\n");
    };
    object(&mut pdf, 1, b"<</Type/Catalog/Pages 2 0 R>>");
    object(
        &mut pdf,
        2,
        b"<</Type/Pages/Kids[3 0 R]/Count 1/MediaBox[0 0 595 842]>>",
    );
    object(
        &mut pdf,
        3,
        b"<</Type/Page/Parent 2 0 R/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
    );
    let page = b"BT /F1 10 Tf 56 790 Td (Warehouse associate) Tj ET";
    let mut contents = format!("<</Length {}>>stream\n", page.len()).into_bytes();
    contents.extend(page);
    contents.extend(b"\nendstream");
    object(&mut pdf, 4, &contents);
    object(
        &mut pdf,
        5,
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    );
    // Object streams are objects 6..6+count; the strings in them are 6+count.. .
    let first_string = 6 + count;
    for i in 0..count {
        let (first, hex) = hex_stream(first_string + i);
        let mut stream = format!(
            "<</Type/ObjStm/N 1/First {first}/Filter[/ASCIIHexDecode/FlateDecode]/Length {}>>stream\n",
            hex.len()
        )
        .into_bytes();
        stream.extend(&hex);
        stream.extend(b"\nendstream");
        object(&mut pdf, 6 + i, &stream);
    }
    let xref_id = first_string + count;
    let xref_at = pdf.len();
    let mut rows = vec![0u8, 0, 0, 0, 0, 0xff, 0xff];
    for at in &offsets {
        let at = u32::try_from(*at).unwrap_or(0).to_be_bytes();
        rows.extend([1, at[0], at[1], at[2], at[3], 0, 0]);
    }
    for i in 0..count {
        let stream = u32::try_from(6 + i).unwrap_or(0).to_be_bytes();
        rows.extend([2, stream[0], stream[1], stream[2], stream[3], 0, 0]);
    }
    let at = u32::try_from(xref_at).unwrap_or(0).to_be_bytes();
    rows.extend([1, at[0], at[1], at[2], at[3], 0, 0]);
    pdf.extend(
        format!(
            "{xref_id} 0 obj\n<</Type/XRef/Size {}/W[1 4 2]/Root 1 0 R/Length {}>>stream\n",
            xref_id + 1,
            rows.len()
        )
        .bytes(),
    );
    pdf.extend(&rows);
    pdf.extend(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").bytes());
    pdf
}
