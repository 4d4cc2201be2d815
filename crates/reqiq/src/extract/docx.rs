//! The text of a Word document (DOCX): `word/document.xml`'s runs, with tabs and breaks kept.
//! The sizes a zip archive declares are never trusted: the part is inflated with a cap, counting
//! the bytes as they come, and refused as a bomb once past it.

use super::{
    BAD_XML, ExtractError, MAX_TEXT_CHARS, MAX_UNZIPPED_BYTES, NO_DOCUMENT_XML, NOT_A_ZIP,
    UNREADABLE, damaged,
};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::{Cursor, Read as _};

/// Most entries an archive may list (a Word document has a few dozen).
const MAX_ENTRIES: usize = 10_000;

pub(super) fn text(bytes: &[u8]) -> Result<String, ExtractError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged(NOT_A_ZIP))?;
    if archive.len() > MAX_ENTRIES {
        return Err(ExtractError::ZipBomb);
    }
    let part = archive.by_name("word/document.xml").map_err(|e| match e {
        zip::result::ZipError::UnsupportedArchive(m)
            if m.contains("ncrypt") || m.contains("assword") =>
        {
            ExtractError::Encrypted
        }
        zip::result::ZipError::FileNotFound => ExtractError::Damaged(NO_DOCUMENT_XML),
        _ => ExtractError::Damaged(UNREADABLE),
    })?;
    // Inflated through a cap: one byte past the limit is enough to know.
    let mut xml = Vec::new();
    part.take(MAX_UNZIPPED_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(damaged(UNREADABLE))?;
    if xml.len() as u64 > MAX_UNZIPPED_BYTES {
        return Err(ExtractError::ZipBomb);
    }
    let xml = String::from_utf8(xml).map_err(damaged(BAD_XML))?;
    document_text(&xml)
}

/// The text of WordprocessingML: `w:t` runs, `w:tab` as a tab, `w:br`/`w:cr` as a line break,
/// and a line break after each paragraph.
fn document_text(xml: &str) -> Result<String, ExtractError> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(damaged(BAD_XML))? {
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

/// A Word document with one paragraph per line of `paragraphs` (for tests and demos).
#[cfg(feature = "fixtures")]
pub fn fixture(paragraphs: &[&str]) -> Vec<u8> {
    use std::io::{Cursor, Write as _};
    use zip::write::SimpleFileOptions;
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    for p in paragraphs {
        xml.push_str(r#"<w:p><w:r><w:t xml:space="preserve">"#);
        xml.push_str(&escape(p));
        xml.push_str("</w:t></w:r></w:p>");
    }
    xml.push_str("</w:body></w:document>");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut write = |name: &str, bytes: &[u8]| {
        out.start_file(name, options).ok()?;
        out.write_all(bytes).ok()
    };
    let _ = write("[Content_Types].xml", b"<Types/>");
    let _ = write("word/document.xml", xml.as_bytes());
    out.finish().map(Cursor::into_inner).unwrap_or_default()
}
