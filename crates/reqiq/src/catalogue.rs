//! The rule catalogue as Markdown, for `docs/requisitions.md` (a test keeps the document equal
//! to this): every rule by category with its severity, what it flags and its citation, and the
//! table of other jurisdictions' pay-transparency laws.

use crate::rules::{ALL, pay_law_rows};
use crate::{Category, RULE_PACK_VERSION};
use std::fmt::Write as _;

/// The catalogue section of `docs/requisitions.md`.
pub fn catalogue_markdown() -> String {
    let mut out = format!(
        "Rule pack {RULE_PACK_VERSION}: {} rules in {} categories.\n",
        ALL.len(),
        Category::ALL.len()
    );
    for category in Category::ALL {
        let _ = write!(
            out,
            "\n### {}\n\n| rule | severity | what it flags | citation |\n|---|---|---|---|\n",
            category.as_str()
        );
        for rule in ALL.iter().filter(|r| r.category() == category) {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                rule.id(),
                rule.severity().as_str(),
                rule.description().replace('|', "\\|"),
                rule.citation()
            );
        }
    }
    out.push_str(
        "\n### Pay-transparency laws outside California\n\n| jurisdiction | citation | employers with at least | in force from | also required |\n|---|---|---:|---|---|\n",
    );
    for row in pay_law_rows() {
        let _ = writeln!(out, "{row}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::catalogue_markdown;

    const START: &str = "<!-- catalogue:start (generated from the rules; regenerate with ATTEST_WRITE_DOCS=1 cargo test -p attest-reqiq catalogue) -->\n";
    const END: &str = "<!-- catalogue:end -->";

    /// `docs/requisitions.md` lists every rule with its citation, exactly as the code has them.
    #[test]
    fn the_documented_catalogue_is_the_code_s() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/requisitions.md");
        let doc = std::fs::read_to_string(&path).unwrap();
        let (before, rest) = doc.split_once(START).expect("catalogue start marker");
        let (_, after) = rest.split_once(END).expect("catalogue end marker");
        let expected = format!("{before}{START}{}{END}{after}", catalogue_markdown());
        if std::env::var_os("ATTEST_WRITE_DOCS").is_some() {
            std::fs::write(&path, &expected).unwrap();
            return;
        }
        assert!(
            doc == expected,
            "docs/requisitions.md is out of date: regenerate it"
        );
        for rule in crate::rules() {
            assert!(doc.contains(rule.id()) && doc.contains(rule.citation()));
        }
    }
}
