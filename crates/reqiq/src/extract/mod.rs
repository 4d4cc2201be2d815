//! The text of a requisition file: UTF-8 text as is; a Word document (DOCX) from its
//! `word/document.xml` (paragraphs, tabs and breaks kept); a PDF through `pdf-extract`;
//! anything else refused with a reason. Limits keep a hostile file from costing much: the file's
//! size, what its zip or PDF streams would expand to (bombs), the PDF's page count and the time
//! its reading may take, and the text's length.

mod docx;
mod pdf;

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
    #[error("the PDF took too long to read; paste its text instead")]
    TooSlow,
    #[error("too many documents are being read right now; try again in a moment")]
    Busy,
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
            ExtractError::TooManyPages => "too_many_pages",
            ExtractError::TooSlow => "document_too_complex",
            ExtractError::Busy => "extraction_busy",
            ExtractError::Damaged(_) => "damaged_document",
            ExtractError::Empty => "empty_document",
            ExtractError::TooLong => "text_too_long",
        }
    }

    /// The error with `code` (as told by an engine process); `detail` is a damaged document's
    /// reason.
    pub fn from_code(code: &str, detail: &str) -> Option<Self> {
        Some(match code {
            "file_too_large" => ExtractError::TooLarge,
            "expands_too_large" => ExtractError::ZipBomb,
            "encrypted_document" => ExtractError::Encrypted,
            "unsupported_file" => ExtractError::Unsupported,
            "too_many_pages" => ExtractError::TooManyPages,
            "document_too_complex" => ExtractError::TooSlow,
            "extraction_busy" => ExtractError::Busy,
            "damaged_document" => ExtractError::Damaged(detail.to_owned()),
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

fn damaged(e: impl std::fmt::Display) -> ExtractError {
    ExtractError::Damaged(e.to_string())
}

#[cfg(test)]
mod tests;
