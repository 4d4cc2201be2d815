//! The text of a requisition file: UTF-8 text as is; a Word document (DOCX) from its
//! `word/document.xml` (paragraphs, tabs and breaks kept); a PDF through `lopdf` and our own
//! reading of its text operators; anything else refused with a reason. Limits keep a hostile file
//! from costing much, each enforced while the bytes stream rather than from what the file
//! declares: the file's size, what its zip entries or PDF streams expand to (bombs, counted as
//! they inflate), the PDF's page count, and the text's length. Reading is single-threaded and
//! synchronous; time limits and a hard memory limit belong to the process it runs in (the
//! server runs it in a worker process).

mod docx;
mod pdf;
mod pdf_text;
mod streams;

#[cfg(feature = "fixtures")]
pub use docx::fixture as docx_fixture;
#[cfg(feature = "fixtures")]
pub use pdf::fixture as pdf_fixture;

/// Largest file accepted.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Largest a DOCX may expand to once unzipped, or a PDF's compressed streams once inflated.
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
    #[error("the PDF has more than 50 pages")]
    TooManyPages,
    #[error(
        "the document takes more time or memory to read than a document may; paste its text instead"
    )]
    TooSlow,
    #[error("too many documents are being read right now; try again in a moment")]
    Busy,
    #[error("the document is damaged: {0}")]
    Damaged(&'static str),
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
            ExtractError::TooManyPages => "too_many_pages",
            ExtractError::TooSlow => "document_too_complex",
            ExtractError::Busy => "extraction_busy",
            ExtractError::Damaged(_) => "damaged_document",
            ExtractError::Empty => "empty_document",
            ExtractError::TooLong => "text_too_long",
        }
    }

    /// The error with `code` (as told by an engine process or a parser worker); `detail` is a
    /// damaged document's reason, one of ours.
    pub fn from_code(code: &str, detail: &str) -> Option<Self> {
        Some(match code {
            "file_too_large" => ExtractError::TooLarge,
            "expands_too_large" => ExtractError::ZipBomb,
            "encrypted_document" => ExtractError::Encrypted,
            "unsupported_file" => ExtractError::Unsupported,
            "too_many_pages" => ExtractError::TooManyPages,
            "document_too_complex" => ExtractError::TooSlow,
            "extraction_busy" => ExtractError::Busy,
            "damaged_document" => ExtractError::Damaged(
                DAMAGED_REASONS
                    .iter()
                    .find(|reason| **reason == detail)
                    .copied()
                    .unwrap_or(UNREADABLE),
            ),
            "empty_document" => ExtractError::Empty,
            "text_too_long" => ExtractError::TooLong,
            _ => return None,
        })
    }

    /// A damaged document's reason (empty for the others).
    pub fn detail(&self) -> &str {
        match self {
            ExtractError::Damaged(detail) => detail,
            _ => "",
        }
    }
}

/// The text of a file, by what its bytes show it to be.
pub fn extract_text(bytes: &[u8]) -> Result<String, ExtractError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ExtractError::TooLarge);
    }
    let mut text = if bytes.starts_with(b"PK\x03\x04") {
        docx::text(bytes)?
    } else if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0]) {
        return Err(ExtractError::Encrypted);
    } else if bytes.starts_with(b"%PDF-") {
        pdf::text(bytes)?
    } else {
        let text = std::str::from_utf8(bytes).map_err(|_| ExtractError::Unsupported)?;
        if text.contains('\0') {
            return Err(ExtractError::Unsupported);
        }
        text.strip_prefix('\u{feff}').unwrap_or(text).to_owned()
    };
    // A document may encode NUL (`&#0;`, a PDF string): no text holds one, and no database
    // column takes one.
    text.retain(|c| c != '\0');
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ExtractError::TooLong);
    }
    Ok(text)
}

/// Why a document is damaged, in our words: a library's own message never reaches people (it
/// can be long, technical, or quote the file).
pub(crate) const UNREADABLE: &str = "it could not be read";
pub(crate) const NOT_A_ZIP: &str = "it is not a valid zip archive";
pub(crate) const NO_DOCUMENT_XML: &str = "it has no word/document.xml: not a Word document";
pub(crate) const BAD_XML: &str = "its document XML is malformed";
pub(crate) const BAD_PDF: &str = "its PDF structure could not be read";
pub(crate) const BAD_PAGE: &str = "a page's content could not be read";
const DAMAGED_REASONS: [&str; 6] = [
    UNREADABLE,
    NOT_A_ZIP,
    NO_DOCUMENT_XML,
    BAD_XML,
    BAD_PDF,
    BAD_PAGE,
];

/// A damaged document, for `reason` (the library's error is dropped: it is not for people).
fn damaged<E>(reason: &'static str) -> impl FnOnce(E) -> ExtractError {
    move |_| ExtractError::Damaged(reason)
}

#[cfg(test)]
mod tests;
