//! Each data row parsed into what it says, or the problems that stop it.

use crate::columns::{CREDENTIAL_COLUMNS, Column, WORKER_COLUMNS, locate};
use crate::table::{FileError, Table};
use attest_core::{DisplayName, EmailAddress};
use serde::Serialize;
use std::collections::HashSet;
use time::Date;
use time::macros::format_description;

/// One problem with one cell (or the row, for column `""`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The row as a spreadsheet numbers it (the header is row 1).
    pub row: usize,
    pub column: String,
    pub reason: String,
}

/// The rows that parsed and the problems of those that did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    pub rows: Vec<T>,
    pub problems: Vec<Problem>,
}

/// When an imported credential expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// The type's usual validity from the issue date.
    TypeDefault,
    Never,
    On(Date),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialRow {
    pub row: usize,
    pub email: EmailAddress,
    /// A type code or name, matched by the store.
    pub credential: String,
    pub issuer: String,
    pub issued_on: Date,
    pub expires: Expiry,
    pub number: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerRow {
    pub row: usize,
    pub email: EmailAddress,
    pub name: DisplayName,
    pub crew: Option<String>,
    pub job_role: Option<String>,
}

/// Reads one row's cells by column, recording problems.
struct Cells<'a> {
    row: usize,
    cells: &'a [String],
    at: &'a [Option<usize>],
    columns: &'static [Column],
    problems: Vec<Problem>,
}

impl<'a> Cells<'a> {
    fn get(&self, column: usize) -> Option<&'a str> {
        let index = self.at.get(column).copied().flatten()?;
        self.cells
            .get(index)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn problem(&mut self, column: usize, reason: impl Into<String>) {
        let name = self.columns.get(column).map(|c| c.name).unwrap_or_default();
        self.problems.push(Problem {
            row: self.row,
            column: name.to_owned(),
            reason: reason.into(),
        });
    }

    fn required(&mut self, column: usize) -> Option<&'a str> {
        let value = self.get(column);
        if value.is_none() {
            self.problem(column, "is empty");
        }
        value
    }

    fn email(&mut self, column: usize) -> Option<EmailAddress> {
        let value = self.required(column)?;
        match EmailAddress::parse(value) {
            Ok(e) => Some(e),
            Err(e) => {
                self.problem(column, format!("is not an email address ({e})"));
                None
            }
        }
    }

    fn date(&mut self, column: usize, value: &str) -> Option<Date> {
        match Date::parse(value, format_description!("[year]-[month]-[day]")) {
            Ok(d) => Some(d),
            Err(_) => {
                self.problem(column, format!("{value:?} is not a date as YYYY-MM-DD"));
                None
            }
        }
    }
}

fn rows<T>(
    table: &Table,
    columns: &'static [Column],
    mut parse: impl FnMut(&mut Cells<'_>) -> Option<T>,
) -> Result<Parsed<T>, FileError> {
    let at = locate(table, columns)?;
    let mut parsed = Parsed {
        rows: Vec::new(),
        problems: Vec::new(),
    };
    for (row, cells) in &table.rows {
        let mut c = Cells {
            row: *row,
            cells,
            at: &at,
            columns,
            problems: Vec::new(),
        };
        let value = parse(&mut c);
        if c.problems.is_empty()
            && let Some(value) = value
        {
            parsed.rows.push(value);
        }
        parsed.problems.extend(c.problems);
    }
    Ok(parsed)
}

/// The credentials in a table: each row's values checked (the store checks the rest: that the
/// worker and the type exist). A worker and type given twice is a problem on the second row.
pub fn credentials(table: &Table) -> Result<Parsed<CredentialRow>, FileError> {
    let mut seen = HashSet::new();
    rows(table, CREDENTIAL_COLUMNS, |c| {
        let email = c.email(0);
        let credential = c.required(1).map(str::to_owned);
        let issuer = c.required(2).map(str::to_owned);
        let issued_on = c.required(3).and_then(|v| c.date(3, v));
        let expires = match c.get(4) {
            None => Some(Expiry::TypeDefault),
            Some(v) if v.eq_ignore_ascii_case("never") => Some(Expiry::Never),
            Some(v) => c.date(4, v).map(Expiry::On),
        };
        if let (Some(issued), Some(Expiry::On(expires))) = (issued_on, expires)
            && expires < issued
        {
            c.problem(4, "is before the issue date");
        }
        if let (Some(email), Some(credential)) = (&email, &credential)
            && !seen.insert((email.as_str().to_lowercase(), credential.to_lowercase()))
        {
            c.problem(
                1,
                "this worker's credential of this type is already in an earlier row",
            );
        }
        Some(CredentialRow {
            row: c.row,
            email: email?,
            credential: credential?,
            issuer: issuer?,
            issued_on: issued_on?,
            expires: expires?,
            number: c.get(5).map(str::to_owned),
            notes: c.get(6).map(str::to_owned),
        })
    })
}

/// The workers in a table. An address given twice is a problem on the second row.
pub fn workers(table: &Table) -> Result<Parsed<WorkerRow>, FileError> {
    let mut seen = HashSet::new();
    rows(table, WORKER_COLUMNS, |c| {
        let email = c.email(0);
        let name = c.required(1).and_then(|v| match DisplayName::parse(v) {
            Ok(n) => Some(n),
            Err(e) => {
                c.problem(1, e.to_string());
                None
            }
        });
        if let Some(email) = &email
            && !seen.insert(email.as_str().to_lowercase())
        {
            c.problem(0, "this address is already in an earlier row");
        }
        Some(WorkerRow {
            row: c.row,
            email: email?,
            name: name?,
            crew: c.get(2).map(str::to_owned),
            job_role: c.get(3).map(str::to_owned),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Limits;

    fn table(text: &str) -> Table {
        Table::read(text.as_bytes(), Limits::default()).unwrap()
    }

    #[test]
    fn good_rows_parse_and_each_bad_cell_is_reported_with_row_and_column() {
        let t = table(
            "email,credential,issuer,issued_on,expires_on,number\n\
             liam@acme.example,WAH,IHSA,2026-01-10,2029-01-10,W-1\n\
             not-an-email,,IHSA,10/01/2026,,\n\
             ava@acme.example,FACPR,Red Cross,2026-02-01,never,\n\
             ava@acme.example,FACPR,Red Cross,2026-03-01,2026-02-01,\n",
        );
        let p = credentials(&t).unwrap();
        assert_eq!(p.rows.len(), 2);
        assert_eq!(
            p.rows[0].expires,
            Expiry::On(time::macros::date!(2029 - 01 - 10))
        );
        assert_eq!(p.rows[0].number.as_deref(), Some("W-1"));
        assert_eq!(p.rows[1].expires, Expiry::Never);
        let at: Vec<(usize, &str)> = p
            .problems
            .iter()
            .map(|x| (x.row, x.column.as_str()))
            .collect();
        assert_eq!(
            at,
            vec![
                (3, "email"),
                (3, "credential"),
                (3, "issued_on"),
                (5, "expires_on"),
                (5, "credential")
            ]
        );
    }

    #[test]
    fn workers_need_an_address_and_a_name_once_each() {
        let t = table(
            "Email,Full name,Crew\nliam@acme.example,Liam Chen,Framing\nliam@acme.example,Liam C,\nx@acme.example,,\n",
        );
        let p = workers(&t).unwrap();
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rows[0].crew.as_deref(), Some("Framing"));
        let at: Vec<(usize, &str)> = p
            .problems
            .iter()
            .map(|x| (x.row, x.column.as_str()))
            .collect();
        assert_eq!(at, vec![(3, "email"), (4, "name")]);
    }
}
