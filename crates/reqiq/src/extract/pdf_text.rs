//! The text a page's content stream shows, in reading order as written: each text-showing
//! operator's string decoded through its font's encoding (`ToUnicode` maps included, by
//! `lopdf`), with a line break where the text moves to another line and a space where it jumps
//! ahead on the same line (or where a `TJ` adjustment is as wide as a space). Glyph advances
//! come from the font's widths, so words a generator placed one by one without space characters
//! still come apart.

use lopdf::Encoding;
use lopdf::content::Operation;
use lopdf::{Dictionary, Document, Object};
use std::collections::BTreeMap;

/// A `TJ` adjustment (thousandths of an em, negative moves right) at least this wide is a space.
const SPACE_ADJUSTMENT: f32 = 180.0;
/// A jump ahead on the same line wider than this share of the font size is a space.
const SPACE_GAP: f32 = 0.15;
/// A move up or down by more than this share of the font size is another line.
const LINE_SHIFT: f32 = 0.5;
/// A glyph's width when the font does not say (thousandths of an em).
const DEFAULT_WIDTH: f32 = 500.0;

/// A 2D affine matrix `[a b c d e f]`, as PDF writes them.
#[derive(Debug, Clone, Copy)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn translate(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self` then `other`.
    fn then(self, other: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn from_operands(operands: &[Object]) -> Option<Matrix> {
        let numbers: Vec<f32> = operands.iter().filter_map(number).collect();
        <[f32; 6]>::try_from(numbers.as_slice()).ok().map(Matrix)
    }
}

fn number(object: &Object) -> Option<f32> {
    object.as_float().ok().filter(|n| n.is_finite())
}

/// What a font tells the walker: how its bytes decode, how many bytes a code takes, and how wide
/// each code is.
pub(super) struct Font<'a> {
    encoding: Encoding<'a>,
    two_byte_codes: bool,
    first_char: i64,
    widths: Vec<f32>,
    cid_widths: BTreeMap<u32, f32>,
    default_width: f32,
}

impl<'a> Font<'a> {
    pub(super) fn new(
        doc: &'a Document,
        dict: &'a Dictionary,
        limit: usize,
    ) -> lopdf::Result<Self> {
        let encoding = dict.get_font_encoding_with_limit(doc, limit)?;
        let two_byte_codes = dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0");
        let mut font = Font {
            encoding,
            two_byte_codes,
            first_char: 0,
            widths: Vec::new(),
            cid_widths: BTreeMap::new(),
            default_width: if two_byte_codes {
                1000.0
            } else {
                DEFAULT_WIDTH
            },
        };
        if two_byte_codes {
            font.read_cid_widths(doc, dict);
        } else {
            font.first_char = deref(doc, dict.get(b"FirstChar").ok())
                .and_then(|o| o.as_i64().ok())
                .unwrap_or(0);
            if let Some(Object::Array(widths)) = deref(doc, dict.get(b"Widths").ok()) {
                font.widths = widths
                    .iter()
                    .map(|w| deref(doc, Some(w)).and_then(number).unwrap_or(0.0))
                    .collect();
            }
        }
        Ok(font)
    }

    /// A composite font's `/DW` and `/W` (`c [w1 w2 …]` or `c_first c_last w`).
    fn read_cid_widths(&mut self, doc: &Document, dict: &Dictionary) {
        let descendant = deref(doc, dict.get(b"DescendantFonts").ok())
            .and_then(|o| o.as_array().ok())
            .and_then(|a| deref(doc, a.first()))
            .and_then(|o| o.as_dict().ok());
        let Some(descendant) = descendant else {
            return;
        };
        if let Some(dw) = deref(doc, descendant.get(b"DW").ok()).and_then(number) {
            self.default_width = dw;
        }
        let Some(Object::Array(w)) = deref(doc, descendant.get(b"W").ok()) else {
            return;
        };
        let mut items = w.iter().map(|o| deref(doc, Some(o)));
        // A hostile font may describe many codes; a page needs a few thousand at most.
        const MAX_ENTRIES: usize = 65_536;
        while let Some(Some(first)) = items.next() {
            let Some(first) = first.as_i64().ok().and_then(|n| u32::try_from(n).ok()) else {
                break;
            };
            match items.next() {
                Some(Some(Object::Array(list))) => {
                    for (i, width) in list.iter().enumerate().take(MAX_ENTRIES) {
                        let code = first.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
                        if let Some(width) = deref(doc, Some(width)).and_then(number) {
                            self.cid_widths.insert(code, width);
                        }
                    }
                }
                Some(Some(last)) => {
                    let last = last.as_i64().ok().and_then(|n| u32::try_from(n).ok());
                    let width = items.next().flatten().and_then(number);
                    if let (Some(last), Some(width)) = (last, width) {
                        for code in (first..=last).take(MAX_ENTRIES) {
                            self.cid_widths.insert(code, width);
                        }
                    }
                }
                _ => break,
            }
            if self.cid_widths.len() > MAX_ENTRIES {
                break;
            }
        }
    }

    /// The codes in `bytes` with their widths (thousandths of an em), and whether each is the
    /// single-byte space (word spacing applies to it).
    fn advances<'s>(&'s self, bytes: &'s [u8]) -> impl Iterator<Item = (f32, bool)> + 's {
        let step = if self.two_byte_codes { 2 } else { 1 };
        bytes.chunks(step).map(move |code| {
            if let [high, low] = code {
                let cid = u32::from(*high) << 8 | u32::from(*low);
                (
                    self.cid_widths
                        .get(&cid)
                        .copied()
                        .unwrap_or(self.default_width),
                    false,
                )
            } else {
                let byte = code.first().copied().unwrap_or(0);
                let index = i64::from(byte) - self.first_char;
                let width = usize::try_from(index)
                    .ok()
                    .and_then(|i| self.widths.get(i))
                    .copied()
                    .filter(|w| *w > 0.0)
                    .unwrap_or(self.default_width);
                (width, byte == b' ')
            }
        })
    }
}

fn deref<'a>(doc: &'a Document, object: Option<&'a Object>) -> Option<&'a Object> {
    object.and_then(|o| doc.dereference(o).ok()).map(|(_, o)| o)
}

/// The text state the walker tracks.
#[derive(Debug, Clone, Copy)]
struct TextState {
    font: Option<usize>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    scale: f32,
    leading: f32,
}

/// Walks one page's operations, appending its text to `out`.
pub(super) struct PageWalker<'f, 'a> {
    fonts: &'f [(Vec<u8>, Font<'a>)],
    ctm: Matrix,
    saved: Vec<(Matrix, TextState)>,
    tm: Matrix,
    tlm: Matrix,
    state: TextState,
    /// Where the last shown text ended, in device space, with the font size there.
    last_end: Option<(f32, f32, f32)>,
    pub(super) out: String,
}

impl<'f, 'a> PageWalker<'f, 'a> {
    pub(super) fn new(fonts: &'f [(Vec<u8>, Font<'a>)]) -> Self {
        PageWalker {
            fonts,
            ctm: Matrix::IDENTITY,
            saved: Vec::new(),
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            state: TextState {
                font: None,
                size: 0.0,
                char_spacing: 0.0,
                word_spacing: 0.0,
                scale: 1.0,
                leading: 0.0,
            },
            last_end: None,
            out: String::new(),
        }
    }

    pub(super) fn apply(&mut self, op: &Operation) {
        let operands = op.operands.as_slice();
        let n = |i: usize| operands.get(i).and_then(number).unwrap_or(0.0);
        match op.operator.as_str() {
            "q" if self.saved.len() < 64 => self.saved.push((self.ctm, self.state)),
            "Q" => {
                if let Some((ctm, state)) = self.saved.pop() {
                    self.ctm = ctm;
                    self.state = state;
                }
            }
            "cm" => {
                if let Some(m) = Matrix::from_operands(operands) {
                    self.ctm = m.then(self.ctm);
                }
            }
            "BT" => {
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
            }
            "Tf" => {
                let name = operands.first().and_then(|o| o.as_name().ok());
                self.state.font =
                    name.and_then(|name| self.fonts.iter().position(|(n, _)| n == name));
                self.state.size = n(1);
            }
            "Tc" => self.state.char_spacing = n(0),
            "Tw" => self.state.word_spacing = n(0),
            "Tz" => self.state.scale = n(0) / 100.0,
            "TL" => self.state.leading = n(0),
            "Td" => self.move_line(n(0), n(1)),
            "TD" => {
                self.state.leading = -n(1);
                self.move_line(n(0), n(1));
            }
            "Tm" => {
                if let Some(m) = Matrix::from_operands(operands) {
                    self.tm = m;
                    self.tlm = m;
                }
            }
            "T*" => self.next_line(),
            "Tj" => self.show_strings(operands),
            "'" => {
                self.next_line();
                self.show_strings(operands);
            }
            "\"" => {
                self.state.word_spacing = n(0);
                self.state.char_spacing = n(1);
                self.next_line();
                self.show_strings(operands.get(2..).unwrap_or_default());
            }
            "TJ" => {
                if let Some(Object::Array(items)) = operands.first() {
                    self.show_strings(items);
                }
            }
            _ => {}
        }
    }

    fn move_line(&mut self, x: f32, y: f32) {
        self.tlm = Matrix::translate(x, y).then(self.tlm);
        self.tm = self.tlm;
    }

    fn next_line(&mut self) {
        self.move_line(0.0, -self.state.leading);
    }

    /// Shows strings and `TJ` adjustments.
    fn show_strings(&mut self, items: &[Object]) {
        for item in items {
            match item {
                Object::String(bytes, _) => self.show(bytes),
                other => {
                    if let Some(adjustment) = number(other) {
                        if adjustment <= -SPACE_ADJUSTMENT {
                            self.push_space();
                        }
                        let tx = -adjustment / 1000.0 * self.state.size * self.state.scale;
                        self.tm = Matrix::translate(tx, 0.0).then(self.tm);
                    }
                }
            }
        }
    }

    fn show(&mut self, bytes: &[u8]) {
        let Some((_, font)) = self.state.font.and_then(|i| self.fonts.get(i)) else {
            return;
        };
        let origin = self.tm.then(self.ctm);
        let (x, y) = (origin.0[4], origin.0[5]);
        let device_size = (self.state.size * origin.0[3].hypot(origin.0[2])).abs();
        self.separate_from_last(x, y, device_size);
        let before = self.out.len();
        if font.encoding.write_to_string(bytes, &mut self.out).is_err() {
            self.out.truncate(before);
        }
        let mut advance = 0.0;
        for (width, is_space) in font.advances(bytes) {
            let spacing = self.state.char_spacing
                + if is_space {
                    self.state.word_spacing
                } else {
                    0.0
                };
            advance += (width / 1000.0 * self.state.size + spacing) * self.state.scale;
        }
        if advance.is_finite() {
            self.tm = Matrix::translate(advance, 0.0).then(self.tm);
        }
        let end = self.tm.then(self.ctm);
        self.last_end = Some((end.0[4], end.0[5], device_size.max(0.1)));
    }

    /// A line break or a space between the last text and text starting at (x, y), as their
    /// positions say.
    fn separate_from_last(&mut self, x: f32, y: f32, size: f32) {
        let Some((last_x, last_y, last_size)) = self.last_end else {
            return;
        };
        let size = size.max(last_size);
        if (y - last_y).abs() > size * LINE_SHIFT {
            self.push_line_break();
        } else if x - last_x > size * SPACE_GAP || x < last_x - size * 2.0 {
            self.push_space();
        }
    }

    fn push_space(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with(char::is_whitespace) {
            self.out.push(' ');
        }
    }

    pub(super) fn push_line_break(&mut self) {
        while self.out.ends_with(' ') {
            self.out.pop();
        }
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }
}
