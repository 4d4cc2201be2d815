//! The requisition report as a PDF: what a reviewer files or an auditor reads.

use super::report_pdf::{Face, INK, MUTED, PdfWriter, Rgb, Style};
use attest_store::requisitions::{FindingRecord, Requisition};
use time::OffsetDateTime;
use time::macros::format_description;

const HIGH: Rgb = Rgb(0.75, 0.13, 0.13);
const MEDIUM: Rgb = Rgb(0.80, 0.42, 0.0);
const LOW: Rgb = Rgb(0.62, 0.55, 0.05);
const INFO: Rgb = Rgb(0.20, 0.40, 0.70);

fn severity_color(severity: &str) -> Rgb {
    match severity {
        "high" => HIGH,
        "medium" => MEDIUM,
        "low" => LOW,
        _ => INFO,
    }
}

fn day(t: OffsetDateTime) -> String {
    t.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

fn minute(t: OffsetDateTime) -> String {
    t.format(format_description!(
        "[year]-[month]-[day] [hour]:[minute] UTC"
    ))
    .unwrap_or_default()
}

fn source(r: &Requisition) -> String {
    let kind = match r.summary.source.as_str() {
        "paste" => "typed or pasted text",
        "text" => "a text file",
        "docx" => "a Word document",
        _ => "a PDF",
    };
    match &r.file_name {
        Some(name) => format!("{kind} ({name})"),
        None => kind.to_owned(),
    }
}

/// The structured fields in words, or `None` if none was given.
fn fields(r: &Requisition) -> Option<String> {
    let f = &r.fields;
    let yes_no = |v: bool| if v { "yes" } else { "no" };
    let mut parts = Vec::new();
    if let Some(s) = &f.work_state {
        parts.push(format!("work state {s}"));
    }
    if let Some(c) = &f.work_city {
        parts.push(format!("city {c}"));
    }
    if let Some(remote) = f.remote {
        parts.push(format!("remote {}", yes_no(remote)));
    }
    if let Some(n) = f.employees_total {
        parts.push(format!("{n} employees"));
    }
    if let Some(n) = f.employees_in_state {
        parts.push(format!("{n} in the state"));
    }
    if f.pay_min.is_some() || f.pay_max.is_some() {
        let amount = |v: Option<f64>| v.map_or_else(|| "?".to_owned(), |v| format!("${v}"));
        let period = f.pay_period.map_or("", |p| match p {
            attest_reqiq::PayPeriod::Hour => " per hour",
            attest_reqiq::PayPeriod::Year => " per year",
        });
        parts.push(format!(
            "pay {} – {}{period}",
            amount(f.pay_min),
            amount(f.pay_max)
        ));
    }
    for (name, value) in [
        ("government contract", f.government_contract),
        ("construction trade", f.construction_trade),
        ("nonprofit", f.nonprofit),
    ] {
        if let Some(v) = value {
            parts.push(format!("{name} {}", yes_no(v)));
        }
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn category(name: &str) -> String {
    let words = name.replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Writes the report.
pub(crate) fn write(
    r: &Requisition,
    findings: &[FindingRecord],
    generated: OffsetDateTime,
) -> Vec<u8> {
    let s = &r.summary;
    let mut w = PdfWriter::new(format!(
        "Attest requisition report · {} · version {} · generated {}",
        s.requisition_id,
        s.current_version,
        minute(generated)
    ));
    let body = Style::new(Face::Regular, 10.0);
    let muted = body.color(MUTED);
    w.paragraph(
        "Requisition analysis",
        Style::new(Face::Bold, 9.0).color(MUTED),
    );
    w.paragraph(&s.title, Style::new(Face::Bold, 18.0));
    w.gap(4.0);
    let author = &s.author_name;
    w.paragraph(
        &format!(
            "Version {} by {author}, from {}. Analysed {} under rule pack {}.",
            s.current_version,
            source(r),
            minute(r.analysed_at),
            s.rule_pack
        ),
        muted,
    );
    if let Some(f) = fields(r) {
        w.paragraph(&format!("Fields: {f}."), muted);
    }
    w.gap(8.0);
    let score_color = if s.score >= 80 {
        Rgb(0.09, 0.50, 0.24)
    } else if s.score >= 50 {
        MEDIUM
    } else {
        HIGH
    };
    w.paragraph(
        &format!("Score {} / 100", s.score),
        Style::new(Face::Bold, 16.0).color(score_color),
    );
    w.paragraph(
        &format!(
            "{} high · {} medium · {} low · {} info — {} of {} findings reviewed",
            s.high, s.medium, s.low, s.info, s.reviewed, s.findings
        ),
        body,
    );
    w.gap(6.0);
    w.paragraph(
        attest_reqiq::DISCLAIMER,
        Style::new(Face::Oblique, 9.0).color(MUTED),
    );
    w.rule();

    w.paragraph("Findings", Style::new(Face::Bold, 13.0));
    w.gap(4.0);
    if findings.is_empty() {
        w.paragraph(
            "The engine found no potential concerns in this version.",
            body,
        );
    }
    for (i, f) in findings.iter().enumerate() {
        w.keep(60.0);
        w.bar(14.0, severity_color(&f.severity));
        w.paragraph(
            &format!(
                "{}. {} · {}",
                i + 1,
                f.severity.to_uppercase(),
                category(&f.category)
            ),
            Style::new(Face::Bold, 11.0)
                .color(severity_color(&f.severity))
                .indent(10.0),
        );
        let at = if f.start == f.end {
            "Missing from the text".to_owned()
        } else {
            format!("“{}” (characters {}–{})", f.excerpt, f.start, f.end)
        };
        let indented = body.indent(10.0);
        w.paragraph(&at, Style::new(Face::Bold, 10.0).indent(10.0));
        w.paragraph(&f.message, indented);
        w.paragraph(&format!("Citation: {}", f.citation), muted.indent(10.0));
        if let Some(suggestion) = &f.suggestion {
            w.paragraph(&format!("Suggested rewrite: {suggestion}"), indented);
        }
        let decision = match &f.review {
            Some(review) => {
                let who = &review.reviewer_name;
                let note = if review.note.is_empty() {
                    String::new()
                } else {
                    format!(": {}", review.note)
                };
                format!(
                    "Decision: {} by {who} on {}{note}",
                    review.decision.as_str(),
                    day(review.reviewed_at)
                )
            }
            None => "Decision: not reviewed yet".to_owned(),
        };
        w.paragraph(
            &decision,
            Style::new(Face::Oblique, 10.0).color(INK).indent(10.0),
        );
        w.paragraph(
            &format!("Rule {} · fingerprint {}", f.rule_id, f.fingerprint),
            muted.indent(10.0),
        );
        w.gap(8.0);
    }
    w.rule();
    w.paragraph("Text analysed", Style::new(Face::Bold, 13.0));
    w.gap(4.0);
    w.paragraph(&r.body, Style::new(Face::Regular, 9.5));
    w.finish()
}
