//! CSV rows for exports people open in spreadsheets: a cell a spreadsheet would run as a
//! formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`.

/// One CSV record, its cells defused.
pub(crate) fn row<S: AsRef<str>>(cells: &[S]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(cells.iter().map(|c| defuse(c.as_ref())));
    writer.into_inner().unwrap_or_default()
}

fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::row;

    #[test]
    fn formulas_are_defused_and_quotes_escaped() {
        let out = String::from_utf8(row(&["=HYPERLINK(\"x\")", "plain", "-1", "a,b"])).unwrap();
        assert_eq!(out, "\"'=HYPERLINK(\"\"x\"\")\",plain,'-1,\"a,b\"\n");
    }
}
