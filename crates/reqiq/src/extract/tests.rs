use super::*;
use std::io::{Cursor, Write as _};
use zip::write::SimpleFileOptions;

fn docx_with(document_xml: &str) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    out.start_file("[Content_Types].xml", options).unwrap();
    out.write_all(b"<Types/>").unwrap();
    out.start_file("word/document.xml", options).unwrap();
    out.write_all(document_xml.as_bytes()).unwrap();
    out.finish().unwrap().into_inner()
}

const BODY: &str = r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="x"><w:body>
<w:p><w:r><w:t>Site coordinator — Montréal</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Pay:</w:t><w:tab/><w:t>competitive &amp; DOE</w:t></w:r></w:p>
<w:p><w:r><w:t>No felons</w:t><w:br/><w:t>&#x2713; done</w:t></w:r></w:p>
</w:body></w:document>"#;

#[test]
fn a_docx_gives_its_paragraphs_tabs_breaks_and_entities() {
    let text = extract_text(&docx_with(BODY)).unwrap();
    assert_eq!(
        text,
        "Site coordinator — Montréal\nPay:\tcompetitive & DOE\nNo felons\n✓ done\n"
    );
}

#[test]
fn offsets_in_docx_text_map_back_exactly() {
    let text = extract_text(&docx_with(BODY)).unwrap();
    let report = crate::analyze(&text, &crate::Fields::default());
    let f = report
        .findings
        .iter()
        .find(|f| f.rule_id == "criminal_history.blanket_exclusion")
        .unwrap();
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(
        chars[f.start..f.end].iter().collect::<String>(),
        "No felons"
    );
}

#[test]
fn bad_files_get_a_clear_reason_never_a_panic() {
    assert_eq!(
        extract_text(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
            .unwrap_err()
            .code(),
        "encrypted_document"
    );
    assert_eq!(
        extract_text(&[0xff, 0xfe, 0x41]).unwrap_err().code(),
        "unsupported_file"
    );
    assert_eq!(extract_text(b"   \n").unwrap_err().code(), "empty_document");
    assert_eq!(
        extract_text(b"PK\x03\x04 truncated").unwrap_err().code(),
        "damaged_document"
    );
    let mut not_word = zip::ZipWriter::new(Cursor::new(Vec::new()));
    not_word
        .start_file("hello.txt", SimpleFileOptions::default())
        .unwrap();
    not_word.write_all(b"hi").unwrap();
    let not_word = not_word.finish().unwrap().into_inner();
    assert_eq!(
        extract_text(&not_word).unwrap_err().code(),
        "damaged_document"
    );
    assert_eq!(
        extract_text(&docx_with("<w:document><w:p><w:t>unclosed")).map(|t| t.contains("unclosed")),
        Ok(true),
        "a truncated document still gives what it has"
    );
    assert_eq!(
        extract_text(&vec![b'a'; MAX_FILE_BYTES + 1])
            .unwrap_err()
            .code(),
        "file_too_large"
    );
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    // 60 MB of one repeated byte deflates to about 60 KB.
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    out.start_file("word/document.xml", options).unwrap();
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..60 {
        out.write_all(&chunk).unwrap();
    }
    let bomb = out.finish().unwrap().into_inner();
    assert!(bomb.len() < 1024 * 1024);
    assert_eq!(extract_text(&bomb).unwrap_err().code(), "expands_too_large");
}

#[test]
fn every_error_comes_back_from_its_code() {
    let all = [
        ExtractError::TooLarge,
        ExtractError::ZipBomb,
        ExtractError::Encrypted,
        ExtractError::Unsupported,
        ExtractError::TooManyPages,
        ExtractError::TooSlow,
        ExtractError::Busy,
        ExtractError::Damaged(BAD_PDF),
        ExtractError::Empty,
        ExtractError::TooLong,
    ];
    for e in all {
        assert_eq!(ExtractError::from_code(e.code(), e.detail()), Some(e));
    }
    assert_eq!(ExtractError::from_code("nonsense", ""), None);
}

#[test]
fn nul_characters_in_a_document_are_dropped() {
    let body = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>No&#0; felons&#x0;.</w:t></w:r></w:p></w:body></w:document>"#;
    assert_eq!(extract_text(&docx_with(body)).unwrap(), "No felons.\n");
}

/// A zip whose directory claims a small part that really inflates to 60 MB: the claim is not
/// believed, the bytes are counted as they come.
#[test]
fn a_docx_that_lies_about_its_sizes_is_refused_by_what_it_inflates_to() {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    out.start_file("word/document.xml", options).unwrap();
    out.write_all(b"<w:document><w:body><w:p><w:r><w:t>")
        .unwrap();
    for _ in 0..60 {
        out.write_all(&[b' '; 1024 * 1024]).unwrap();
    }
    out.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .unwrap();
    let mut bomb = out.finish().unwrap().into_inner();
    // Declare 1 KB as the uncompressed size, in the local header and the central directory.
    let claim = 1024u32.to_le_bytes();
    let local = 22;
    bomb[local..local + 4].copy_from_slice(&claim);
    let central = bomb
        .windows(4)
        .position(|w| w == [0x50, 0x4b, 0x01, 0x02])
        .unwrap();
    bomb[central + 24..central + 28].copy_from_slice(&claim);
    let e = extract_text(&bomb).unwrap_err();
    assert!(
        matches!(e.code(), "expands_too_large" | "damaged_document"),
        "{e:?}"
    );
}
