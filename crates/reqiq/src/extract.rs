//! The text of a requisition file: UTF-8 text as is; a Word document (DOCX) from its
//! `word/document.xml` (paragraphs, tabs and breaks kept); anything else refused with a reason.
//! Limits keep a hostile file from costing much: the file's size, what its zip would expand to
//! (zip bombs), and the document part's size.

use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::{Cursor, Read as _};

/// Largest file accepted.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Largest a DOCX may expand to once unzipped.
const MAX_UNZIPPED_BYTES: u64 = 50 * 1024 * 1024;
/// Largest extracted text.
const MAX_TEXT_CHARS: usize = 200_000;

/// Why a file's text could not be read. Each has a stable code for the API.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("the file is larger than 10 MB")]
    TooLarge,
    #[error("the document expands to more than 50 MB once unzipped")]
    ZipBomb,
    #[error("the document is encrypted (or a legacy .doc file); save it as an unprotected .docx")]
    Encrypted,
    #[error("the file is not UTF-8 text, a .docx or a PDF")]
    Unsupported,
    #[error("PDF files cannot be read yet; paste the text or upload a .docx")]
    PdfNotSupported,
    #[error("the document is damaged: {0}")]
    Damaged(String),
    #[error("the document has no text")]
    Empty,
    #[error("the document's text is longer than 200,000 characters")]
    TooLong,
}

impl ExtractError {
    pub const fn code(&self) -> &'static str {
        match self {
            ExtractError::TooLarge => "file_too_large",
            ExtractError::ZipBomb => "expands_too_large",
            ExtractError::Encrypted => "encrypted_document",
            ExtractError::Unsupported => "unsupported_file",
            ExtractError::PdfNotSupported => "pdf_not_supported",
            ExtractError::Damaged(_) => "damaged_document",
            ExtractError::Empty => "empty_document",
            ExtractError::TooLong => "text_too_long",
        }
    }
}

/// The text of a file, by what its bytes show it to be.
pub fn extract_text(bytes: &[u8]) -> Result<String, ExtractError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ExtractError::TooLarge);
    }
    let text = if bytes.starts_with(b"PK\x03\x04") {
        docx(bytes)?
    } else if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0]) {
        return Err(ExtractError::Encrypted);
    } else if bytes.starts_with(b"%PDF-") {
        return Err(ExtractError::PdfNotSupported);
    } else {
        let text = std::str::from_utf8(bytes).map_err(|_| ExtractError::Unsupported)?;
        if text.contains('\0') {
            return Err(ExtractError::Unsupported);
        }
        text.strip_prefix('\u{feff}').unwrap_or(text).to_owned()
    };
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ExtractError::TooLong);
    }
    Ok(text)
}

fn damaged(e: impl std::fmt::Display) -> ExtractError {
    ExtractError::Damaged(e.to_string())
}

fn docx(bytes: &[u8]) -> Result<String, ExtractError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    match archive.decompressed_size() {
        Some(total) if total > u128::from(MAX_UNZIPPED_BYTES) => return Err(ExtractError::ZipBomb),
        _ => {}
    }
    let part = archive.by_name("word/document.xml").map_err(|e| match e {
        zip::result::ZipError::UnsupportedArchive(m)
            if m.contains("ncrypt") || m.contains("assword") =>
        {
            ExtractError::Encrypted
        }
        zip::result::ZipError::FileNotFound => damaged("no word/document.xml: not a Word document"),
        other => damaged(other),
    })?;
    let mut xml = String::new();
    part.take(MAX_UNZIPPED_BYTES + 1)
        .read_to_string(&mut xml)
        .map_err(damaged)?;
    if xml.len() as u64 > MAX_UNZIPPED_BYTES {
        return Err(ExtractError::ZipBomb);
    }
    document_text(&xml)
}

/// The text of WordprocessingML: `w:t` runs, `w:tab` as a tab, `w:br`/`w:cr` as a line break,
/// and a line break after each paragraph.
fn document_text(xml: &str) -> Result<String, ExtractError> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(damaged)? {
            Event::Start(e) if e.name().as_ref() == "w:t" => in_text = true,
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:p" => out.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:tab" => out.push('\t'),
                "w:br" | "w:cr" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                let name = r.into_inner();
                if let Some(resolved) = quick_xml::escape::resolve_predefined_entity(&name) {
                    out.push_str(resolved);
                } else if let Some(c) = numeric_reference(&name) {
                    out.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if out.len() > MAX_TEXT_CHARS * 4 {
            return Err(ExtractError::TooLong);
        }
    }
    Ok(out)
}

fn numeric_reference(name: &str) -> Option<char> {
    let digits = name.strip_prefix('#')?;
    let code = match digits.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => digits.parse().ok()?,
    };
    char::from_u32(code)
}

#[cfg(test)]
#[path = "extract_tests.rs"]
mod tests;
