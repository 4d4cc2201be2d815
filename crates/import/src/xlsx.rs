//! The first sheet of an XLSX workbook as text cells: values only (a formula anywhere refuses
//! the file), dates as `YYYY-MM-DD`, whole numbers without a decimal point.

use crate::table::{FileError, column_letter};
use calamine::{Data, Reader, Xlsx};
use std::io::{Cursor, Read as _};
use time::{Date, Duration, Month};

pub(crate) fn cells(
    bytes: &[u8],
    max_expanded: u64,
) -> Result<Vec<(usize, Vec<String>)>, FileError> {
    check_expanded_size(bytes, max_expanded)?;
    let unreadable = |e: calamine::XlsxError| FileError::Unreadable(e.to_string());
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let Some(sheet) = workbook.sheet_names().first().cloned() else {
        return Err(FileError::Empty);
    };
    let formulas = workbook.worksheet_formula(&sheet).map_err(unreadable)?;
    if let Some((row, column, _)) = formulas.used_cells().find(|(_, _, f)| !f.is_empty()) {
        let (start_row, start_col) = formulas.start().unwrap_or((0, 0));
        return Err(FileError::Formula {
            row: row + to_usize(start_row) + 1,
            column: column_letter(column + to_usize(start_col)),
        });
    }
    let range = workbook.worksheet_range(&sheet).map_err(unreadable)?;
    // Rows and columns before the range's start are empty: keep file positions.
    let (start_row, start_col) = range.start().unwrap_or((0, 0));
    let mut out = Vec::new();
    for (r, row) in range.rows().enumerate() {
        let mut cells = vec![String::new(); to_usize(start_col)];
        for (c, cell) in row.iter().enumerate() {
            cells.push(text(cell).map_err(|error| FileError::CellError {
                row: r + to_usize(start_row) + 1,
                column: column_letter(c + to_usize(start_col)),
                error,
            })?);
        }
        out.push((r + to_usize(start_row) + 1, cells));
    }
    Ok(out)
}

/// Refuses a workbook whose parts would expand beyond `max` bytes: from the sizes its zip
/// directory declares when it declares them all, otherwise by inflating it once with a cap.
fn check_expanded_size(bytes: &[u8], max: u64) -> Result<(), FileError> {
    let unreadable = |e: zip::result::ZipError| FileError::Unreadable(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    let too_large = || FileError::TooLarge(max / (1024 * 1024));
    if let Some(total) = archive.decompressed_size() {
        return if total > u128::from(max) {
            Err(too_large())
        } else {
            Ok(())
        };
    }
    let mut left = max;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(unreadable)?;
        let read = std::io::copy(
            &mut entry.take(left.saturating_add(1)),
            &mut std::io::sink(),
        )
        .map_err(|e| FileError::Unreadable(e.to_string()))?;
        left = left.checked_sub(read).ok_or_else(too_large)?;
    }
    Ok(())
}

fn to_usize(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

fn text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            serial_date(d.as_f64()).ok_or_else(|| "a date out of range".to_owned())?
        }
        Data::Error(e) => return Err(format!("{e:?}")),
    })
}

/// A spreadsheet serial day number (1900 date system: day 0 is 1899-12-30) as `YYYY-MM-DD`.
fn serial_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = Date::from_calendar_date(1899, Month::December, 30).ok()?;
    #[expect(
        clippy::cast_possible_truncation,
        reason = "checked to be within the calendar above"
    )]
    let day = epoch.checked_add(Duration::days(serial.floor() as i64))?;
    Some(format!(
        "{:04}-{:02}-{:02}",
        day.year(),
        u8::from(day.month()),
        day.day()
    ))
}

#[cfg(test)]
#[path = "xlsx_tests.rs"]
mod tests;
