//! The first sheet of an XLSX workbook as text cells: values only (a formula anywhere refuses
//! the file), dates as `YYYY-MM-DD`, whole numbers without a decimal point.
//!
//! Nothing here trusts what the file declares. Before the workbook is opened, every zip entry
//! is inflated into nothing and the bytes counted as they come, so the parts together stay under
//! the expanded-size limit whatever sizes the archive claims. The sheet is then read one cell at
//! a time, and a cell is refused by its reference (a column past [`MAX_COLUMNS`], more rows than
//! the limit) before anything is kept for it; only cells with a value are kept, so a workbook
//! that names `A1` and `XFD1048576` costs two cells, not a grid.

use crate::cell_refs::{PartProblem, check_part};
use crate::table::{FileError, Limits, column_letter};
use calamine::{DataRef, Reader, Xlsx};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use time::{Date, Duration, Month};

/// Most columns a sheet may use (the imports take about a dozen).
pub(crate) const MAX_COLUMNS: usize = 100;
/// Most entries the archive may list (a workbook has a few dozen).
const MAX_ENTRIES: usize = 10_000;

/// The sheet's rows with a value, each as (row number in the file, cells).
pub(crate) fn cells(bytes: &[u8], limits: &Limits) -> Result<Vec<(usize, Vec<String>)>, FileError> {
    check_expanded_size(bytes, limits.max_expanded_bytes)?;
    let unreadable = |_| FileError::Unreadable("its parts could not be read");
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let Some(sheet) = workbook.sheet_names().first().cloned() else {
        return Err(FileError::Empty);
    };
    let mut reader = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(|_| FileError::Unreadable("its first sheet could not be read"))?;
    let mut rows: BTreeMap<usize, BTreeMap<usize, String>> = BTreeMap::new();
    let mut kept_chars = 0usize;
    while let Some(cell) = reader
        .next_cell_with_formula_metadata()
        .map_err(|_| FileError::Unreadable("its first sheet is malformed"))?
    {
        let (row, column) = (to_usize(cell.pos.0), to_usize(cell.pos.1));
        let here = || (row + 1, column_letter(column));
        if column >= MAX_COLUMNS {
            return Err(FileError::TooManyColumns(MAX_COLUMNS));
        }
        if cell.formula.is_some() {
            let (row, column) = here();
            return Err(FileError::Formula { row, column });
        }
        let value = text(&cell.value).map_err(|error| {
            let (row, column) = here();
            FileError::CellError { row, column, error }
        })?;
        if value.trim().is_empty() {
            continue;
        }
        if value.len() > limits.max_cell_chars.saturating_mul(4) {
            let (row, column) = here();
            return Err(FileError::CellTooLong {
                row,
                column,
                max: limits.max_cell_chars,
            });
        }
        kept_chars += value.len();
        if kept_chars > limits.max_total_chars {
            return Err(FileError::TooMuchText(limits.max_total_chars / 1_000_000));
        }
        // The header row and `max_rows` data rows; one more is already too many.
        if !rows.contains_key(&row) && rows.len() > limits.max_rows {
            return Err(FileError::TooManyRows(limits.max_rows));
        }
        rows.entry(row).or_default().insert(column, value);
    }
    Ok(rows
        .into_iter()
        .map(|(row, cells)| {
            let width = cells.keys().next_back().map_or(0, |last| last + 1);
            let mut line = vec![String::new(); width];
            for (column, value) in cells {
                if let Some(slot) = line.get_mut(column) {
                    *slot = value;
                }
            }
            (row + 1, line)
        })
        .collect())
}

/// Refuses a workbook whose parts would expand beyond `max` bytes, by inflating each and counting
/// what comes out (the sizes the archive declares are not believed), or whose parts hold a cell
/// reference out of range (checked on the way: see [`check_part`]).
fn check_expanded_size(bytes: &[u8], max: u64) -> Result<(), FileError> {
    let unreadable = |_| FileError::Unreadable("it is not a valid zip archive");
    let damaged = || FileError::Unreadable("a part of it is damaged");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    let too_large = || FileError::TooLarge(max / (1024 * 1024));
    if archive.len() > MAX_ENTRIES {
        return Err(too_large());
    }
    let mut left = max;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(unreadable)?;
        let mut part = Counted {
            inner: entry.take(left.saturating_add(1)),
            read: 0,
        };
        match check_part(std::io::BufReader::new(&mut part)) {
            Ok(()) => {}
            Err(PartProblem::Damaged) => return Err(damaged()),
            Err(PartProblem::OutOfRange) => {
                return Err(FileError::Unreadable(
                    "a cell reference in it is out of range",
                ));
            }
        }
        std::io::copy(&mut part, &mut std::io::sink()).map_err(|_| damaged())?;
        left = left.checked_sub(part.read).ok_or_else(too_large)?;
    }
    Ok(())
}

/// Counts the bytes read through it.
struct Counted<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read = self
            .read
            .saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
        Ok(n)
    }
}

fn to_usize(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

fn text(cell: &DataRef<'_>) -> Result<String, String> {
    Ok(match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => {
            serial_date(d.as_f64()).ok_or_else(|| "a date out of range".to_owned())?
        }
        DataRef::Error(e) => return Err(e.to_string()),
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
