//! The one trait every rule implements, and the shape most rules take: phrases (a regular
//! expression over the normalised text) that raise a concern unless something in the same
//! sentence, or anywhere in the document, answers it.

use crate::{Category, Document, Fields, Finding, Severity};
use regex::Regex;
use std::sync::OnceLock;

/// Equal-opportunity wording ("regardless of", "we do not discriminate on the basis of"…): a
/// sentence listing protected classes this way is no preference. Rules that look for a protected
/// class build their `unless` on it: `concat!(eeo!(), "|…")`.
macro_rules! eeo {
    () => {
        r"\b(regardless of|without regard to|irrespective of|equal opportunity|eeo|discriminat\w*|nondiscrimination|non-discrimination|gina|protected (class|characteristic|status)|on the basis of)\b|\bwe welcome (people|applicants|candidates)\b"
    };
}
pub(crate) use eeo;

/// A rule: its identity and what it says, and the check itself.
pub trait Rule: Send + Sync {
    fn id(&self) -> &'static str;
    fn category(&self) -> Category;
    fn citation(&self) -> &'static str;
    /// What the rule flags and why, in plain English (for the catalogue).
    fn description(&self) -> &'static str;
    /// The severity of its findings when the fields do not change it.
    fn severity(&self) -> Severity;
    /// The expression (as compiled) every finding of this rule matches, if there is one.
    fn trigger(&self) -> Option<String> {
        None
    }
    /// Adds this rule's findings for the document and fields.
    fn check(&self, doc: &Document<'_>, fields: &Fields, out: &mut Vec<Finding>);
}

/// A rule raised by phrases. `pattern` and `unless` are regular expressions over the normalised
/// text (lower case, ASCII quotes and dashes, single spaces); `unless` is looked for in the same
/// sentence as the match.
pub(crate) struct PhraseRule {
    pub(crate) id: &'static str,
    pub(crate) category: Category,
    pub(crate) severity: Severity,
    pub(crate) pattern: &'static str,
    pub(crate) unless: Option<&'static str>,
    /// Looked for anywhere in the document: if present, the rule finds nothing.
    pub(crate) unless_document: Option<&'static str>,
    pub(crate) message: &'static str,
    pub(crate) citation: &'static str,
    pub(crate) suggestion: Option<&'static str>,
    /// The severity given the fields, when they change it (default: `severity`); `None` means
    /// the rule does not apply.
    pub(crate) severity_for: Option<fn(&Fields, Severity) -> Option<Severity>>,
    pub(crate) compiled: OnceLock<Option<Compiled>>,
}

/// A phrase rule's expressions, compiled once.
pub(crate) struct Compiled {
    pattern: Regex,
    unless: Option<Regex>,
    unless_document: Option<Regex>,
}

fn compile(source: Option<&str>) -> Result<Option<Regex>, regex::Error> {
    source.map(rule_regex).transpose()
}

/// A rule's regular expression over the normalised text, with ASCII word boundaries and word
/// characters: Unicode `\b` keeps the fast automata off any text with a non-ASCII character
/// (the text is lower case already, and no rule needs a boundary next to a non-ASCII letter).
pub(crate) fn rule_regex(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&ascii_boundaries(pattern))
}

fn ascii_boundaries(pattern: &str) -> String {
    pattern
        .replace(r"\b", r"(?-u:\b)")
        .replace(r"\w", "[0-9a-z_]")
}

impl PhraseRule {
    /// The compiled expressions (`None` if one does not compile: a test catches that).
    pub(crate) fn regexes(&self) -> Option<&Compiled> {
        self.compiled
            .get_or_init(|| {
                Some(Compiled {
                    pattern: rule_regex(self.pattern).ok()?,
                    unless: compile(self.unless).ok()?,
                    unless_document: compile(self.unless_document).ok()?,
                })
            })
            .as_ref()
    }
}

/// A finding of `rule` at a byte range of the normalised text.
pub(crate) fn finding_at(
    doc: &Document<'_>,
    range: std::ops::Range<usize>,
    rule: (&'static str, Category, Severity, &'static str),
    message: &str,
    suggestion: Option<&str>,
) -> Finding {
    let span = doc.original_span(range);
    Finding {
        rule_id: std::borrow::Cow::Borrowed(rule.0),
        category: rule.1,
        severity: rule.2,
        excerpt: doc.excerpt(&span),
        start: span.start,
        end: span.end,
        message: message.to_owned(),
        citation: std::borrow::Cow::Borrowed(rule.3),
        suggestion: suggestion.map(str::to_owned),
        fingerprint: String::new(),
    }
}

impl Rule for PhraseRule {
    fn id(&self) -> &'static str {
        self.id
    }

    fn category(&self) -> Category {
        self.category
    }

    fn citation(&self) -> &'static str {
        self.citation
    }

    fn description(&self) -> &'static str {
        self.message
    }

    fn severity(&self) -> Severity {
        self.severity
    }

    fn trigger(&self) -> Option<String> {
        Some(ascii_boundaries(self.pattern))
    }

    fn check(&self, doc: &Document<'_>, fields: &Fields, out: &mut Vec<Finding>) {
        let severity = match self.severity_for {
            Some(f) => match f(fields, self.severity) {
                Some(s) => s,
                None => return,
            },
            None => self.severity,
        };
        let Some(compiled) = self.regexes() else {
            return;
        };
        let text = doc.text();
        if let Some(unless) = &compiled.unless_document
            && unless.is_match(text)
        {
            return;
        }
        for m in compiled.pattern.find_iter(text) {
            if let Some(unless) = &compiled.unless {
                let sentence = doc.sentence(m.start());
                if unless.is_match(&text[sentence]) {
                    continue;
                }
            }
            out.push(finding_at(
                doc,
                m.range(),
                (self.id, self.category, severity, self.citation),
                self.message,
                self.suggestion,
            ));
        }
    }
}

/// Test helper: `rule` finds exactly one concern in each text.
#[cfg(test)]
pub(crate) fn assert_flags(rule: &dyn Rule, texts: &[&str]) {
    for text in texts {
        assert_eq!(found(rule, text, &Fields::default()).len(), 1, "{text}");
    }
}

/// Test helper: `rule` finds nothing in any of these near misses.
#[cfg(test)]
pub(crate) fn assert_leaves(rule: &dyn Rule, texts: &[&str]) {
    for text in texts {
        assert!(found(rule, text, &Fields::default()).is_empty(), "{text}");
    }
}

/// Test helpers: the spans a rule finds in a text.
#[cfg(test)]
pub(crate) fn found(rule: &dyn Rule, text: &str, fields: &Fields) -> Vec<(String, Severity)> {
    let doc = Document::new(text);
    let mut out = Vec::new();
    rule.check(&doc, fields, &mut out);
    out.into_iter().map(|f| (f.excerpt, f.severity)).collect()
}
