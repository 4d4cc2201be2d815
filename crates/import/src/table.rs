//! A file as a table of text cells.

use crate::xlsx;

/// How much a file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    /// Data rows (the header row aside).
    pub max_rows: usize,
    /// Characters in one cell.
    pub max_cell_chars: usize,
    /// What a workbook may expand to once unzipped, counted as it inflates (a zip bomb is
    /// refused before it is read).
    pub max_expanded_bytes: u64,
    /// Bytes of text in all the cells kept (a workbook's shared strings can repeat one long
    /// text in every cell).
    pub max_total_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_rows: 50_000,
            max_cell_chars: 500,
            max_expanded_bytes: 100 * 1024 * 1024,
            max_total_chars: 32_000_000,
        }
    }
}

/// Why a whole file was refused. Row and column numbers are as a spreadsheet shows them
/// (rows from 1, the header row included; columns by their header, or letter).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "the file is not UTF-8 text{0}: save it as \"CSV UTF-8\" (or as an Excel workbook) and try again"
    )]
    NotUtf8(&'static str),
    #[error("this is not a CSV or XLSX file (it looks like {0})")]
    Unsupported(&'static str),
    #[error("the workbook could not be read: {0}")]
    Unreadable(&'static str),
    #[error("the CSV file could not be read: {0}")]
    UnreadableCsv(String),
    #[error("the file uses more than {0} columns; remove the columns the import does not take")]
    TooManyColumns(usize),
    #[error("the cells hold more than {0} million characters of text in all; split the file")]
    TooMuchText(usize),
    #[error("the file takes more memory or time to read than an import may; save a simpler one")]
    TooComplex,
    #[error("the workbook expands to more than {0} MB once unzipped; save a smaller one")]
    TooLarge(u64),
    #[error("the file has more than {0} rows; split it")]
    TooManyRows(usize),
    #[error("row {row}, column {column}: the cell is longer than {max} characters")]
    CellTooLong {
        row: usize,
        column: String,
        max: usize,
    },
    #[error(
        "row {row}, column {column}: the cell holds a formula; imports take values only (paste as values, or remove the leading =, +, - or @)"
    )]
    Formula { row: usize, column: String },
    #[error("row {row}, column {column}: the cell holds a spreadsheet error ({error})")]
    CellError {
        row: usize,
        column: String,
        error: String,
    },
    #[error("the columns are not the ones expected: {0}")]
    Columns(String),
}

/// The file's header row and data rows, as trimmed text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Table {
    pub headers: Vec<String>,
    /// (row number in the file, cells).
    pub rows: Vec<(usize, Vec<String>)>,
}

/// A1-style column letters for a 0-based index.
pub(crate) fn column_letter(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + u8::try_from(index % 26).unwrap_or(0)));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.iter().rev().collect()
}

impl Table {
    /// Reads a CSV or XLSX file.
    pub fn read(bytes: &[u8], limits: Limits) -> Result<Self, FileError> {
        let cells = if bytes.starts_with(b"PK\x03\x04") {
            xlsx::cells(bytes, &limits)?
        } else {
            csv_cells(bytes, &limits)?
        };
        Self::from_cells(cells, limits)
    }

    /// `cells`: (row number in the file, cells).
    fn from_cells(cells: Vec<(usize, Vec<String>)>, limits: Limits) -> Result<Self, FileError> {
        let mut rows = cells
            .into_iter()
            .map(|(i, cells)| {
                (
                    i,
                    cells
                        .into_iter()
                        .map(|c| c.trim().to_owned())
                        .collect::<Vec<_>>(),
                )
            })
            .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
        let Some((_, headers)) = rows.next() else {
            return Err(FileError::Empty);
        };
        let rows: Vec<(usize, Vec<String>)> = rows.collect();
        if rows.len() > limits.max_rows {
            return Err(FileError::TooManyRows(limits.max_rows));
        }
        for (row, cells) in &rows {
            for (i, cell) in cells.iter().enumerate() {
                let column = || {
                    headers
                        .get(i)
                        .filter(|h| !h.is_empty())
                        .cloned()
                        .unwrap_or_else(|| column_letter(i))
                };
                if cell.chars().count() > limits.max_cell_chars {
                    return Err(FileError::CellTooLong {
                        row: *row,
                        column: column(),
                        max: limits.max_cell_chars,
                    });
                }
                if looks_like_formula(cell) {
                    return Err(FileError::Formula {
                        row: *row,
                        column: column(),
                    });
                }
            }
        }
        Ok(Self { headers, rows })
    }
}

/// A cell a spreadsheet would run as a formula when the file is opened again (CSV injection).
fn looks_like_formula(cell: &str) -> bool {
    match cell.chars().next() {
        Some('=' | '@') => true,
        Some('+' | '-') => cell.len() > 1 && cell[1..].parse::<f64>().is_err(),
        _ => false,
    }
}

/// The CSV file's rows with a value, refusing while reading: a row with more than
/// [`xlsx::MAX_COLUMNS`] cells, more rows than the limit, a cell far past its limit, and more
/// text than the limit in all, each before it is kept.
fn csv_cells(bytes: &[u8], limits: &Limits) -> Result<Vec<(usize, Vec<String>)>, FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(FileError::NotUtf8(" (it is UTF-16)"));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(FileError::Unsupported("a PDF"));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(FileError::Unsupported(
            "an old Excel .xls workbook; save it as .xlsx",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotUtf8(""))?;
    if text.contains('\0') {
        return Err(FileError::Unsupported("binary data"));
    }
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.contains(';') && !first_line.contains(',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut cells = Vec::new();
    let mut kept_chars = 0usize;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let at = e
                    .position()
                    .map_or_else(String::new, |p| format!(" at line {}", p.line()));
                return Err(FileError::UnreadableCsv(format!(
                    "a quoted cell is not closed or a line is malformed{at}"
                )));
            }
        }
        let line = record.position().map_or(cells.len() + 1, |p| {
            usize::try_from(p.line()).unwrap_or(usize::MAX)
        });
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() > xlsx::MAX_COLUMNS {
            return Err(FileError::TooManyColumns(xlsx::MAX_COLUMNS));
        }
        if let Some((i, _)) = record
            .iter()
            .enumerate()
            .find(|(_, c)| c.len() > limits.max_cell_chars.saturating_mul(4))
        {
            return Err(FileError::CellTooLong {
                row: line,
                column: column_letter(i),
                max: limits.max_cell_chars,
            });
        }
        kept_chars += record.as_slice().len();
        if kept_chars > limits.max_total_chars {
            return Err(FileError::TooMuchText(limits.max_total_chars / 1_000_000));
        }
        // The header row and `max_rows` data rows; one more is already too many.
        if cells.len() > limits.max_rows {
            return Err(FileError::TooManyRows(limits.max_rows));
        }
        cells.push((line, record.iter().map(str::to_owned).collect()));
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Table, FileError> {
        Table::read(text.as_bytes(), Limits::default())
    }

    #[test]
    fn a_csv_file_becomes_trimmed_cells_with_file_row_numbers() {
        let t =
            read("\u{feff}email,name\n a@b.example , Ann \n\n,\nc@d.example,\"Côté, Sophie\"\n")
                .unwrap();
        assert_eq!(t.headers, ["email", "name"]);
        assert_eq!(
            t.rows,
            vec![
                (2, vec!["a@b.example".into(), "Ann".into()]),
                (5, vec!["c@d.example".into(), "Côté, Sophie".into()])
            ]
        );
    }

    #[test]
    fn semicolons_are_accepted_as_the_separator() {
        let t = read("email;name\na@b.example;Ann\n").unwrap();
        assert_eq!(t.rows[0].1, ["a@b.example", "Ann"]);
    }

    #[test]
    fn other_encodings_are_refused_with_a_way_out() {
        let latin1 = b"email,name\na@b.example,C\xf4t\xe9\n";
        let e = Table::read(latin1, Limits::default()).unwrap_err();
        assert!(matches!(e, FileError::NotUtf8(_)));
        assert!(e.to_string().contains("CSV UTF-8"));
        let utf16 = [0xFF, 0xFE, b'e', 0];
        assert_eq!(
            Table::read(&utf16, Limits::default()).unwrap_err(),
            FileError::NotUtf8(" (it is UTF-16)")
        );
    }

    #[test]
    fn formulas_are_refused_but_signed_numbers_are_not() {
        let e = read("email,name\na@b.example,=HYPERLINK(\"x\")\n").unwrap_err();
        assert_eq!(
            e,
            FileError::Formula {
                row: 2,
                column: "name".into()
            }
        );
        assert!(matches!(
            read("a,b\n@SUM(A1),x\n").unwrap_err(),
            FileError::Formula { .. }
        ));
        assert!(matches!(
            read("a,b\n-cmd|x,x\n").unwrap_err(),
            FileError::Formula { .. }
        ));
        assert!(read("a,b\n-12.5,+1\n").is_ok());
    }

    #[test]
    fn huge_cells_and_too_many_rows_are_refused() {
        let huge = format!("email,name\na@b.example,{}\n", "x".repeat(501));
        assert!(matches!(
            read(&huge).unwrap_err(),
            FileError::CellTooLong {
                row: 2,
                max: 500,
                ..
            }
        ));
        let many = format!("a\n{}", "1\n".repeat(11));
        let limits = Limits {
            max_rows: 10,
            ..Limits::default()
        };
        assert_eq!(
            Table::read(many.as_bytes(), limits).unwrap_err(),
            FileError::TooManyRows(10)
        );
    }

    #[test]
    fn empty_and_foreign_files_are_refused() {
        assert_eq!(read("").unwrap_err(), FileError::Empty);
        assert_eq!(read("\n,\n").unwrap_err(), FileError::Empty);
        assert!(matches!(
            Table::read(b"%PDF-1.7", Limits::default()).unwrap_err(),
            FileError::Unsupported(_)
        ));
    }

    /// 10 MB of line breaks or of commas would be millions of rows or cells once parsed: each
    /// is refused when the limit passes, before the rest is kept.
    #[test]
    fn csv_rows_columns_and_text_are_limited_while_reading() {
        let many_rows = format!("a\n{}", "1\n".repeat(60_000));
        assert_eq!(
            read(&many_rows).unwrap_err(),
            FileError::TooManyRows(50_000)
        );
        let wide = format!("a{}\n", ",x".repeat(1_000_000));
        assert_eq!(
            read(&wide).unwrap_err(),
            FileError::TooManyColumns(xlsx::MAX_COLUMNS)
        );
        let limits = Limits {
            max_total_chars: 1_000_000,
            ..Limits::default()
        };
        let text = format!("a,b\n{}", format!("{},y\n", "x".repeat(400)).repeat(3_000));
        assert_eq!(
            Table::read(text.as_bytes(), limits).unwrap_err(),
            FileError::TooMuchText(1)
        );
    }

    #[test]
    fn columns_are_lettered_like_a_spreadsheet() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }
}
