//! The columns each import takes, by name, with the other names people give them.

use crate::table::{FileError, Table};

/// One column an import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
    /// What goes in it, for the report and the template.
    pub description: &'static str,
}

const fn column(
    name: &'static str,
    aliases: &'static [&'static str],
    required: bool,
    description: &'static str,
) -> Column {
    Column {
        name,
        aliases,
        required,
        description,
    }
}

pub const CREDENTIAL_COLUMNS: &[Column] = &[
    column(
        "email",
        &["email_address", "worker_email", "e_mail"],
        true,
        "The worker's email address in Attest.",
    ),
    column(
        "credential",
        &[
            "type",
            "code",
            "credential_code",
            "type_code",
            "credential_type",
        ],
        true,
        "The credential type's code (e.g. WAH) or exact name.",
    ),
    column(
        "issuer",
        &["issued_by", "provider", "training_provider"],
        true,
        "Who issued it.",
    ),
    column(
        "issued_on",
        &["issued", "issue_date", "date_issued"],
        true,
        "YYYY-MM-DD.",
    ),
    column(
        "expires_on",
        &[
            "expires",
            "expiry",
            "expiry_date",
            "expiration_date",
            "valid_until",
        ],
        false,
        "YYYY-MM-DD; empty for the type's usual validity; \"never\" if it does not expire.",
    ),
    column(
        "number",
        &[
            "certificate_number",
            "credential_number",
            "card_number",
            "certificate",
        ],
        false,
        "The certificate number (stored encrypted).",
    ),
    column(
        "notes",
        &["note", "comments"],
        false,
        "Notes (stored encrypted).",
    ),
];

pub const WORKER_COLUMNS: &[Column] = &[
    column(
        "email",
        &["email_address", "e_mail"],
        true,
        "Their email address (their sign-in).",
    ),
    column(
        "name",
        &["full_name", "display_name", "worker"],
        true,
        "Their name as shown in Attest.",
    ),
    column(
        "crew",
        &["team"],
        false,
        "The name of an existing crew to put them in.",
    ),
    column(
        "job_role",
        &["trade", "position", "role"],
        false,
        "The name of an existing job role.",
    ),
];

fn normalise(header: &str) -> String {
    header
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// Where each of `columns` is in the table's header (`None`: absent). Refuses a missing required
/// column, an unknown column and a column given twice, naming them all.
pub(crate) fn locate(table: &Table, columns: &[Column]) -> Result<Vec<Option<usize>>, FileError> {
    let mut found: Vec<Option<usize>> = vec![None; columns.len()];
    let mut unknown = Vec::new();
    let mut twice = Vec::new();
    for (i, header) in table.headers.iter().enumerate() {
        if header.is_empty() {
            continue;
        }
        let key = normalise(header);
        match columns
            .iter()
            .position(|c| c.name == key || c.aliases.contains(&key.as_str()))
        {
            Some(c) if found[c].is_some() => twice.push(header.clone()),
            Some(c) => found[c] = Some(i),
            None => unknown.push(header.clone()),
        }
    }
    let missing: Vec<&str> = columns
        .iter()
        .zip(&found)
        .filter(|(c, f)| c.required && f.is_none())
        .map(|(c, _)| c.name)
        .collect();
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!("missing {}", missing.join(", ")));
    }
    if !unknown.is_empty() {
        problems.push(format!("unknown {}", unknown.join(", ")));
    }
    if !twice.is_empty() {
        problems.push(format!("given twice {}", twice.join(", ")));
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        let expected: Vec<&str> = columns.iter().map(|c| c.name).collect();
        Err(FileError::Columns(format!(
            "{} (expected: {})",
            problems.join("; "),
            expected.join(", ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    #[test]
    fn headers_match_names_and_aliases_in_any_case_and_spacing() {
        let t = table(&[
            "Email Address",
            "Credential Code",
            "Issued By",
            "Issue date",
            "Expiry-Date",
        ]);
        assert_eq!(
            locate(&t, CREDENTIAL_COLUMNS).unwrap(),
            vec![Some(0), Some(1), Some(2), Some(3), Some(4), None, None]
        );
    }

    #[test]
    fn wrong_columns_are_named_all_at_once() {
        let e = locate(
            &table(&["email", "credential", "expiry_dat", "Email"]),
            CREDENTIAL_COLUMNS,
        )
        .unwrap_err();
        let text = e.to_string();
        assert!(text.contains("missing issuer, issued_on"), "{text}");
        assert!(text.contains("unknown expiry_dat"), "{text}");
        assert!(text.contains("given twice Email"), "{text}");
    }
}
