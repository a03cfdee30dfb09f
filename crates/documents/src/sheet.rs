//! One A4 page written top to bottom: a header band, sections of label / value lines, wrapped
//! paragraphs, a QR code and a footer.

use printpdf::{
    Color, FontId, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, RawImage,
    RawImageData, RawImageFormat, Rect, Rgb, TextItem, XObjectTransform,
};
use std::sync::LazyLock;

const REGULAR_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

static FONTS: LazyLock<(ParsedFont, ParsedFont)> = LazyLock::new(|| {
    let parse = |bytes| ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).expect("the embedded font parses");
    (parse(REGULAR_TTF), parse(BOLD_TTF))
});

const PAGE_WIDTH: f32 = 210.0;
const PAGE_HEIGHT: f32 = 297.0;
const MARGIN: f32 = 20.0;
const VALUE_COLUMN: f32 = 85.0;
const QR_SIZE: f32 = 60.0;
/// Characters of body text that fit in a line between the margins.
const PARAGRAPH_CHARS: usize = 92;

const NAVY: (f32, f32, f32) = (0.0, 0.14, 0.42);
const GREY: (f32, f32, f32) = (0.35, 0.35, 0.35);
const BLACK: (f32, f32, f32) = (0.0, 0.0, 0.0);

pub struct Sheet {
    doc: PdfDocument,
    regular: FontId,
    bold: FontId,
    ops: Vec<Op>,
    /// The baseline of the next line, in mm from the bottom of the page.
    y: f32,
}

impl Sheet {
    pub fn new() -> Self {
        let mut doc = PdfDocument::new("CQC");
        let (regular, bold) = &*FONTS;
        let regular = doc.add_font(regular);
        let bold = doc.add_font(bold);
        Self { doc, regular, bold, ops: Vec::new(), y: PAGE_HEIGHT - MARGIN }
    }

    pub fn header(&mut self, title: &str, subtitle: &str) {
        self.fill(NAVY);
        self.rect(0.0, PAGE_HEIGHT - 12.0, PAGE_WIDTH, 12.0);
        self.text(MARGIN, PAGE_HEIGHT - 8.0, 9.0, true, (1.0, 1.0, 1.0), "RÉPUBLIQUE FRANÇAISE · Service CQC");
        self.y = PAGE_HEIGHT - 30.0;
        self.text(MARGIN, self.y, 20.0, true, NAVY, title);
        self.y -= 8.0;
        self.text(MARGIN, self.y, 11.0, false, GREY, subtitle);
        self.y -= 6.0;
    }

    pub fn section(&mut self, title: &str) {
        self.y -= 8.0;
        self.text(MARGIN, self.y, 12.0, true, NAVY, title);
        self.y -= 2.5;
        self.fill(NAVY);
        self.rect(MARGIN, self.y, PAGE_WIDTH - 2.0 * MARGIN, 0.4);
        self.y -= 6.0;
    }

    pub fn field(&mut self, label: &str, value: &str) {
        self.text(MARGIN, self.y, 10.0, false, GREY, label);
        self.text(VALUE_COLUMN, self.y, 10.5, true, BLACK, value);
        self.y -= 6.5;
    }

    /// A section on the person the document is about.
    pub fn person(&mut self, title: &str, name: &str, birth_date: &str, licence_number: &str) {
        self.section(title);
        self.field("Nom", name);
        self.field("Date de naissance", &french_date(birth_date));
        self.field("Numéro de permis de conduire", licence_number);
    }

    pub fn paragraph(&mut self, text: &str) {
        self.y -= 4.0;
        for line in wrap(text, PARAGRAPH_CHARS) {
            self.text(MARGIN, self.y, 9.5, false, BLACK, &line);
            self.y -= 5.0;
        }
    }

    /// The QR code at the right of the page, below what is written, with its caption.
    pub fn qr(&mut self, content: &str, caption: &str) {
        let code = qrcode::QrCode::with_error_correction_level(content.as_bytes(), qrcode::EcLevel::M)
            .expect("a certificate code fits in a QR code");
        let width = code.width();
        // One pixel per module, with the quiet zone of 4 modules the standard asks for, drawn
        // without smoothing: a small image instead of thousands of rectangles.
        let side = width + 8;
        let mut pixels = vec![255u8; side * side];
        for (i, colour) in code.to_colors().iter().enumerate() {
            if *colour == qrcode::Color::Dark {
                pixels[(i / width + 4) * side + i % width + 4] = 0;
            }
        }
        let image = RawImage {
            pixels: RawImageData::U8(pixels),
            width: side,
            height: side,
            data_format: RawImageFormat::R8,
            tag: Vec::new(),
        };
        let id = self.doc.add_image(&image);
        let left = PAGE_WIDTH - MARGIN - QR_SIZE;
        let top = self.y - 6.0;
        self.ops.push(Op::UseXobject {
            id,
            transform: XObjectTransform {
                translate_x: Some(Mm(left).into()),
                translate_y: Some(Mm(top - QR_SIZE).into()),
                dpi: Some(side as f32 * 25.4 / QR_SIZE),
                ..XObjectTransform::default()
            },
        });
        let caption_lines = wrap(caption, 40);
        let mut y = top - 10.0;
        for line in caption_lines {
            self.text(MARGIN, y, 9.0, false, GREY, &line);
            y -= 5.0;
        }
        self.y = top - QR_SIZE - 6.0;
    }

    pub fn footer(&mut self, text: &str) {
        self.text(MARGIN, 12.0, 8.0, false, GREY, text);
    }

    pub fn finish(mut self, title: &str) -> Vec<u8> {
        let page = PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), std::mem::take(&mut self.ops));
        self.doc.metadata.info.document_title = title.to_owned();
        let options = PdfSaveOptions { subset_fonts: true, optimize: false, ..PdfSaveOptions::default() };
        let mut pdf = printpdf::to_lopdf_doc(self.doc.with_pages(vec![page]), &options, &mut Vec::new());
        for object in pdf.objects.values_mut() {
            if let lopdf::Object::Stream(stream) = object {
                if stream.allows_compression && stream.dict.get(b"Filter").is_err() {
                    compress(stream);
                }
            }
        }
        let mut bytes = Vec::new();
        pdf.save_to(&mut bytes).expect("writing to memory cannot fail");
        bytes
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, colour: (f32, f32, f32), text: &str) {
        let font = if bold { self.bold.clone() } else { self.regular.clone() };
        self.fill(colour);
        self.ops.extend([
            Op::StartTextSection,
            Op::SetTextCursor { pos: Point::new(Mm(x), Mm(y)) },
            Op::SetFont { font: PdfFontHandle::External(font), size: Pt(size) },
            Op::ShowText { items: vec![TextItem::Text(text.to_owned())] },
            Op::EndTextSection,
        ]);
    }

    fn fill(&mut self, (r, g, b): (f32, f32, f32)) {
        self.ops.push(Op::SetFillColor { col: Color::Rgb(Rgb { r, g, b, icc_profile: None }) });
    }

    fn rect(&mut self, x: f32, y: f32, width: f32, height: f32) {
        let rect = Rect::from_xywh(Mm(x).into(), Mm(y).into(), Mm(width).into(), Mm(height).into());
        self.ops.push(Op::DrawPolygon { polygon: rect.to_polygon() });
    }
}

/// Deflates a stream at zlib's fastest level, when that makes it smaller: a page in a third of the
/// time of the slowest level, some 20 % larger.
fn compress(stream: &mut lopdf::Stream) {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    if encoder.write_all(&stream.content).is_err() {
        return;
    }
    if let Ok(compressed) = encoder.finish() {
        if compressed.len() < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

/// Splits `text` into lines of at most `max` characters, between words.
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `2026-11-25` → `25/11/2026`; anything else is printed as given.
pub fn french_date(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>()[..] {
        [year, month, day] => format!("{day}/{month}/{year}"),
        _ => iso.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_wrap_between_words() {
        assert_eq!(wrap("un deux trois quatre", 9), ["un deux", "trois", "quatre"]);
        assert_eq!(wrap("", 9), Vec::<String>::new());
    }

    #[test]
    fn dates_print_the_french_way() {
        assert_eq!(french_date("2026-11-25"), "25/11/2026");
    }
}
