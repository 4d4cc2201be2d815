//! The text of a PDF, read with `lopdf` under limits that hold before anything large is
//! allocated:
//! - every compressed stream is first inflated into nothing, counting the bytes as they come
//!   (nested zlib layers included), and the file is refused once the total passes the
//!   unzipped-size limit ([`super::streams`]);
//! - `lopdf` itself refuses any stream (object streams, cross-reference streams, fonts' maps,
//!   page contents) that would decode past [`MAX_STREAM_BYTES`], whatever its filters;
//! - a password-protected file, more than [`MAX_PAGES`] pages, or page contents past the
//!   unzipped-size limit in all are refused before text is read.
//!
//! What no limit here can see (a reader's own cost on a hostile file) is bounded by the process
//! this runs in: the server parses uploads in a worker process with a hard memory limit and a
//! deadline (see `attest-server`'s `parser` module).

use super::{BAD_PAGE, BAD_PDF, ExtractError, MAX_UNZIPPED_BYTES, damaged};
use crate::extract::pdf_text::{Font, PageWalker};
use lopdf::content::Content;
use lopdf::{Document, LoadOptions};

/// Most pages read.
pub(super) const MAX_PAGES: usize = 50;
/// Most bytes any one stream may decode to.
pub(super) const MAX_STREAM_BYTES: usize = 32 * 1024 * 1024;

pub(super) fn text(bytes: &[u8]) -> Result<String, ExtractError> {
    super::streams::check_inflated_size(bytes, MAX_UNZIPPED_BYTES)?;
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_STREAM_BYTES),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(load_error)?;
    if doc.is_encrypted() {
        return Err(ExtractError::Encrypted);
    }
    let pages = doc.get_pages();
    if pages.len() > MAX_PAGES {
        return Err(ExtractError::TooManyPages);
    }
    let mut left = usize::try_from(MAX_UNZIPPED_BYTES).unwrap_or(usize::MAX);
    let mut text = String::new();
    for page in pages.into_values() {
        let content = doc
            .get_page_content_with_limit(page, left.min(MAX_STREAM_BYTES))
            .map_err(load_error)?;
        left = left
            .checked_sub(content.len())
            .ok_or(ExtractError::ZipBomb)?;
        let fonts: Vec<(Vec<u8>, Font<'_>)> = doc
            .get_page_fonts(page)
            .map_err(damaged(BAD_PAGE))?
            .into_iter()
            .filter_map(
                |(name, dict)| match Font::new(&doc, dict, MAX_STREAM_BYTES) {
                    Ok(font) => Some(Ok((name, font))),
                    Err(lopdf::Error::Decompress(_)) => Some(Err(ExtractError::ZipBomb)),
                    // A font whose encoding cannot be read shows nothing.
                    Err(_) => None,
                },
            )
            .collect::<Result<_, _>>()?;
        let mut walker = PageWalker::new(&fonts);
        walker.out = std::mem::take(&mut text);
        for operation in Content::decode_iter(&content) {
            walker.apply(&operation.map_err(damaged(BAD_PAGE))?);
            if walker.out.len() > super::MAX_TEXT_CHARS * 4 {
                return Err(ExtractError::TooLong);
            }
        }
        walker.push_line_break();
        text = walker.out;
    }
    Ok(text)
}

fn load_error(e: lopdf::Error) -> ExtractError {
    match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            ExtractError::ZipBomb
        }
        lopdf::Error::Decryption(_)
        | lopdf::Error::InvalidPassword
        | lopdf::Error::UnsupportedSecurityHandler(_) => ExtractError::Encrypted,
        _ => ExtractError::Damaged(BAD_PDF),
    }
}

/// A PDF of `pages`, each a list of lines set in Helvetica with WinAnsi encoding (characters
/// outside it become `?`): for tests and benchmarks.
#[cfg(any(test, feature = "fixtures"))]
#[cfg_attr(
    not(feature = "fixtures"),
    expect(unreachable_pub, reason = "exported only with the fixtures feature")
)]
pub fn fixture(pages: &[Vec<String>]) -> Vec<u8> {
    use lopdf::content::Operation;
    use lopdf::{Object, Stream, StringFormat, dictionary};
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
                vec![Object::String(encoded, StringFormat::Literal)],
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
