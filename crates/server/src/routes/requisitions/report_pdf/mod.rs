//! A small document writer for reports people print or file: US Letter pages of wrapped text in
//! the standard Helvetica fonts (nothing embedded), headings, colour, rules, and a footer with
//! page numbers. Built on `lopdf`; the layout (line flow, page breaks) is ours.

mod helvetica;

pub(crate) use helvetica::Face;
use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, StringFormat, dictionary};

const PAGE_WIDTH: f32 = 612.0;
const PAGE_HEIGHT: f32 = 792.0;
const MARGIN: f32 = 54.0;
const BOTTOM: f32 = 64.0;

/// A colour (red, green, blue, each 0–1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rgb(pub(crate) f32, pub(crate) f32, pub(crate) f32);

pub(crate) const INK: Rgb = Rgb(0.10, 0.12, 0.16);
pub(crate) const MUTED: Rgb = Rgb(0.38, 0.42, 0.48);

/// How a paragraph is set.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    pub(crate) face: Face,
    pub(crate) size: f32,
    pub(crate) color: Rgb,
    /// From the left margin, in points.
    pub(crate) indent: f32,
}

impl Style {
    pub(crate) const fn new(face: Face, size: f32) -> Self {
        Self {
            face,
            size,
            color: INK,
            indent: 0.0,
        }
    }

    pub(crate) const fn color(self, color: Rgb) -> Self {
        Self { color, ..self }
    }

    pub(crate) const fn indent(self, indent: f32) -> Self {
        Self { indent, ..self }
    }
}

/// A document being written, top to bottom.
pub(crate) struct PdfWriter {
    pages: Vec<Vec<Operation>>,
    y: f32,
    footer: String,
}

fn real(v: f32) -> Object {
    Object::Real(v)
}

impl PdfWriter {
    /// A document whose every page carries `footer` (left) and its page number (right).
    pub(crate) fn new(footer: String) -> Self {
        let mut writer = Self {
            pages: Vec::new(),
            y: 0.0,
            footer,
        };
        writer.new_page();
        writer
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = PAGE_HEIGHT - MARGIN;
    }

    fn ops(&mut self) -> &mut Vec<Operation> {
        if self.pages.is_empty() {
            self.new_page();
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page unless `height` points fit on this one.
    pub(crate) fn keep(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.new_page();
        }
    }

    /// Vertical space.
    pub(crate) fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    fn line_at(&mut self, text: &str, style: Style, x: f32, y: f32) {
        let Rgb(r, g, b) = style.color;
        let ops = self.ops();
        ops.push(Operation::new("BT", vec![]));
        ops.push(Operation::new("rg", vec![real(r), real(g), real(b)]));
        ops.push(Operation::new(
            "Tf",
            vec![style.face.resource().into(), real(style.size)],
        ));
        ops.push(Operation::new("Td", vec![real(x), real(y)]));
        ops.push(Operation::new(
            "Tj",
            vec![Object::String(
                helvetica::encode(text),
                StringFormat::Literal,
            )],
        ));
        ops.push(Operation::new("ET", vec![]));
    }

    /// Sets `text` wrapped to the page, breaking pages as needed.
    pub(crate) fn paragraph(&mut self, text: &str, style: Style) {
        let leading = style.size * 1.35;
        let max = PAGE_WIDTH - 2.0 * MARGIN - style.indent;
        let text = text.replace('\r', "");
        for line in helvetica::wrap(&text, style.face, style.size, max) {
            self.keep(leading);
            self.y -= leading;
            self.line_at(
                &line,
                style,
                MARGIN + style.indent,
                self.y + style.size * 0.3,
            );
        }
    }

    /// A thin horizontal rule across the text width.
    pub(crate) fn rule(&mut self) {
        self.keep(8.0);
        self.y -= 6.0;
        let y = self.y;
        let ops = self.ops();
        ops.push(Operation::new(
            "RG",
            vec![real(0.82), real(0.85), real(0.88)],
        ));
        ops.push(Operation::new("w", vec![real(0.75)]));
        ops.push(Operation::new("m", vec![real(MARGIN), real(y)]));
        ops.push(Operation::new(
            "l",
            vec![real(PAGE_WIDTH - MARGIN), real(y)],
        ));
        ops.push(Operation::new("S", vec![]));
        self.y -= 6.0;
    }

    /// A coloured bar at the left of the next `height` points (marks a finding's severity).
    pub(crate) fn bar(&mut self, height: f32, color: Rgb) {
        self.keep(height);
        let Rgb(r, g, b) = color;
        let y = self.y;
        let ops = self.ops();
        ops.push(Operation::new("rg", vec![real(r), real(g), real(b)]));
        ops.push(Operation::new(
            "re",
            vec![real(MARGIN), real(y - height), real(3.0), real(height)],
        ));
        ops.push(Operation::new("f", vec![]));
    }

    /// The finished PDF.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        let total = self.pages.len();
        let footer = Style::new(Face::Regular, 8.0).color(MUTED);
        let footer_text = std::mem::take(&mut self.footer);
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let mut fonts = lopdf::Dictionary::new();
        for face in [Face::Regular, Face::Bold, Face::Oblique] {
            let id = doc.add_object(dictionary! {
                "Type" => "Font",
                "Subtype" => "Type1",
                "BaseFont" => face.base_font(),
                "Encoding" => "WinAnsiEncoding",
            });
            fonts.set(face.resource(), id);
        }
        let resources_id = doc.add_object(dictionary! { "Font" => fonts });
        let mut kids: Vec<Object> = Vec::new();
        let pages = std::mem::take(&mut self.pages);
        for (index, operations) in pages.into_iter().enumerate() {
            self.pages = vec![operations];
            let number = format!("Page {} of {total}", index + 1);
            self.line_at(&footer_text, footer, MARGIN, 36.0);
            let x = PAGE_WIDTH - MARGIN - helvetica::width(&number, Face::Regular, 8.0);
            self.line_at(&number, footer, x, 36.0);
            let operations = self.pages.pop().unwrap_or_default();
            let content = Content { operations }.encode().unwrap_or_default();
            let mut stream = Stream::new(dictionary! {}, content);
            let _ = stream.compress();
            let content_id = doc.add_object(stream);
            kids.push(
                doc.add_object(dictionary! {
                    "Type" => "Page",
                    "Parent" => pages_id,
                    "Contents" => content_id,
                })
                .into(),
            );
        }
        let count = i64::try_from(kids.len()).unwrap_or(i64::MAX);
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => kids,
                "Count" => count,
                "Resources" => resources_id,
                "MediaBox" => vec![0.into(), 0.into(), real(PAGE_WIDTH), real(PAGE_HEIGHT)],
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut out = Vec::new();
        let _ = doc.save_to(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_flows_onto_numbered_pages_and_reads_back() {
        let mut w = PdfWriter::new("Attest report".to_owned());
        w.paragraph("Heading", Style::new(Face::Bold, 16.0));
        for i in 0..120 {
            w.paragraph(
                &format!("Line {i}: Café — “quoted”"),
                Style::new(Face::Regular, 10.0),
            );
        }
        let pdf = w.finish();
        assert!(pdf.starts_with(b"%PDF-1.7"));
        let text = attest_reqiq::extract_text(&pdf).unwrap();
        assert!(text.contains("Heading"), "{text}");
        assert!(text.contains("Line 119: Café — “quoted”"), "{text}");
        assert!(
            !text.contains('?'),
            "no carriage return printed as '?': {text}"
        );
        assert!(
            text.contains("Page 1 of 3") && text.contains("Page 3 of 3"),
            "{text}"
        );
    }
}
