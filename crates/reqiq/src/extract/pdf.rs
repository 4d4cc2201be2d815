//! The text of a PDF, through `pdf-extract` (over `lopdf`). PDF readers panic on some damaged
//! files and can take very long on hostile ones, so a PDF is read on its own thread: a panic
//! becomes `damaged_document`, a reading that outlives [`TIME_LIMIT`] is abandoned as
//! `document_too_complex`, and at most [`MAX_READERS`] such threads exist at once (abandoned ones
//! included) so hostile files cannot pile up. Before any text is read, the file is refused if it
//! is encrypted with a password, has more than [`MAX_PAGES`] pages, or its compressed streams
//! would inflate past the unzipped-size limit (measured by inflating into nothing).

use super::{ExtractError, MAX_UNZIPPED_BYTES, damaged};
use pdf_extract::{Document, Object, PlainTextOutput};
use std::io::Read as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// Most pages read.
const MAX_PAGES: usize = 50;
/// Longest a PDF's reading may take.
const TIME_LIMIT: Duration = Duration::from_secs(10);
/// Most PDF reader threads alive at once.
const MAX_READERS: usize = 4;

/// Longest a reading waits for a place.
const PLACE_WAIT: Duration = Duration::from_secs(3);

static READERS: AtomicUsize = AtomicUsize::new(0);

/// Holds one of the [`MAX_READERS`] places until the reading thread ends.
struct ReaderPlace;

impl ReaderPlace {
    fn take() -> Option<ReaderPlace> {
        READERS
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < MAX_READERS).then_some(n + 1)
            })
            .ok()
            .map(|_| ReaderPlace)
    }
}

impl ReaderPlace {
    /// A place, waiting up to [`PLACE_WAIT`] for one to come free.
    fn wait_for() -> Option<ReaderPlace> {
        let deadline = std::time::Instant::now() + PLACE_WAIT;
        loop {
            if let Some(place) = ReaderPlace::take() {
                return Some(place);
            }
            if std::time::Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for ReaderPlace {
    fn drop(&mut self) {
        READERS.fetch_sub(1, Ordering::AcqRel);
    }
}

pub(super) fn text(bytes: &[u8]) -> Result<String, ExtractError> {
    let bytes = bytes.to_vec();
    isolated(move || read(&bytes), TIME_LIMIT)
}

/// `work` on its own thread, holding one of the reader places: its panic is a damaged document,
/// and if it outlives `limit` it is abandoned (it keeps its place until it ends).
fn isolated<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ExtractError> + Send + 'static,
    limit: Duration,
) -> Result<T, ExtractError> {
    let place = ReaderPlace::wait_for().ok_or(ExtractError::Busy)?;
    let (sender, receiver) = mpsc::channel();
    std::thread::Builder::new()
        .name("pdf-reader".into())
        .spawn(move || {
            let _place = place;
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
            // The caller may have stopped waiting; then the result is dropped.
            let _ = sender.send(result);
        })
        .map_err(|_| ExtractError::Busy)?;
    match receiver.recv_timeout(limit) {
        Ok(Ok(result)) => result,
        Ok(Err(_panic)) => Err(damaged("the PDF could not be read")),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(ExtractError::TooSlow),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(damaged("the PDF could not be read")),
    }
}

fn read(bytes: &[u8]) -> Result<String, ExtractError> {
    let mut doc = Document::load_mem(bytes).map_err(damaged)?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ExtractError::Encrypted);
    }
    if doc.get_pages().len() > MAX_PAGES {
        return Err(ExtractError::TooManyPages);
    }
    if inflated_size(&doc) > MAX_UNZIPPED_BYTES {
        return Err(ExtractError::ZipBomb);
    }
    let mut text = String::new();
    pdf_extract::output_doc(&doc, &mut PlainTextOutput::new(&mut text)).map_err(damaged)?;
    Ok(text)
}

/// What the document's Flate-compressed streams inflate to, counted up to just past the limit
/// without keeping any of it.
fn inflated_size(doc: &Document) -> u64 {
    let mut total = 0u64;
    for object in doc.objects.values() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let flate = match stream.dict.get(b"Filter") {
            Ok(Object::Name(name)) => name.as_slice() == b"FlateDecode",
            Ok(Object::Array(filters)) => filters
                .iter()
                .any(|f| matches!(f, Object::Name(n) if n.as_slice() == b"FlateDecode")),
            _ => false,
        };
        let size = if flate {
            let budget = MAX_UNZIPPED_BYTES + 1 - total.min(MAX_UNZIPPED_BYTES);
            let mut inflater =
                flate2::read::ZlibDecoder::new(stream.content.as_slice()).take(budget);
            std::io::copy(&mut inflater, &mut std::io::sink()).unwrap_or(0)
        } else {
            stream.content.len() as u64
        };
        total = total.saturating_add(size);
        if total > MAX_UNZIPPED_BYTES {
            break;
        }
    }
    total
}

/// A PDF of `pages`, each a list of lines set in Helvetica with WinAnsi encoding (characters
/// outside it become `?`): for tests and benchmarks.
#[cfg(any(test, feature = "fixtures"))]
#[cfg_attr(
    not(feature = "fixtures"),
    expect(unreachable_pub, reason = "exported only with the fixtures feature")
)]
pub fn fixture(pages: &[Vec<String>]) -> Vec<u8> {
    use pdf_extract::content::{Content, Operation};
    use pdf_extract::{Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids = Vec::new();
    for lines in pages {
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 10.into()]),
            Operation::new("TL", vec![13.into()]),
            Operation::new("Td", vec![56.into(), 790.into()]),
        ];
        for line in lines {
            let encoded: Vec<u8> = line
                .chars()
                .map(|c| match u32::from(c) {
                    n @ 0x20..=0x7e | n @ 0xa0..=0xff => n as u8,
                    0x2013 => 0x96,
                    0x2014 => 0x97,
                    0x2018 => 0x91,
                    0x2019 => 0x92,
                    0x201c => 0x93,
                    0x201d => 0x94,
                    0x20ac => 0x80,
                    _ => b'?',
                })
                .collect();
            operations.push(Operation::new(
                "Tj",
                vec![Object::String(encoded, pdf_extract::StringFormat::Literal)],
            ));
            operations.push(Operation::new("T*", vec![]));
        }
        operations.push(Operation::new("ET", vec![]));
        let content = Content { operations }.encode().unwrap_or_default();
        let mut stream = Stream::new(dictionary! {}, content);
        let _ = stream.compress();
        let content_id = doc.add_object(stream);
        kids.push(
            doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "Contents" => content_id,
            })
            .into(),
        );
    }
    let count = i64::try_from(kids.len()).unwrap_or(i64::MAX);
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    let _ = doc.save_to(&mut out);
    out
}

#[cfg(test)]
#[path = "pdf_tests.rs"]
mod tests;
