//! The QR code of a payload: alphanumeric mode (Base45 and the prefix use only that alphabet) at
//! error correction M.

use qrcode::{EcLevel, QrCode, Version};

/// Why a QR code could not be made.
#[derive(Debug, thiserror::Error)]
#[error("the payload does not fit a QR code: {0}")]
pub struct QrError(String);

fn code(payload: &str) -> Result<QrCode, QrError> {
    QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| QrError(e.to_string()))
}

/// The QR version (1–40) the payload needs at error correction M.
pub fn qr_version(payload: &str) -> Result<i16, QrError> {
    match code(payload)?.version() {
        Version::Normal(v) | Version::Micro(v) => Ok(v),
    }
}

/// The QR code as an SVG document (black modules on white, a quiet zone, scalable).
pub fn qr_svg(payload: &str) -> Result<String, QrError> {
    Ok(code(payload)?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

/// The QR code as a greyscale PNG: `scale` pixels per module, a four-module quiet zone.
pub fn qr_png(payload: &str, scale: u32) -> Result<Vec<u8>, QrError> {
    let code = code(payload)?;
    let modules = u32::try_from(code.width()).map_err(|e| QrError(e.to_string()))?;
    let scale = scale.clamp(1, 32);
    let side = (modules + 8) * scale;
    let colors = code.to_colors();
    let mut pixels = vec![255u8; (side * side) as usize];
    for (i, color) in colors.iter().enumerate() {
        if *color != qrcode::Color::Dark {
            continue;
        }
        let i = u32::try_from(i).map_err(|e| QrError(e.to_string()))?;
        let (mx, my) = (i % modules + 4, i / modules + 4);
        for y in my * scale..(my + 1) * scale {
            let row = (y * side) as usize;
            pixels[row + (mx * scale) as usize..row + ((mx + 1) * scale) as usize].fill(0);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| QrError(e.to_string()))?;
    writer
        .write_image_data(&pixels)
        .map_err(|e| QrError(e.to_string()))?;
    writer.finish().map_err(|e| QrError(e.to_string()))?;
    Ok(out)
}

/// Reads the QR codes in a PNG image (any colour type) and returns the first one's text.
pub fn read_qr_png(png_bytes: &[u8]) -> Result<String, QrError> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| QrError(e.to_string()))?;
    let (width, height) = {
        let info = reader.info();
        (info.width as usize, info.height as usize)
    };
    if width.saturating_mul(height) > 64_000_000 {
        return Err(QrError("the image is too large".into()));
    }
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| QrError("the image is too large".into()))?;
    let mut buffer = vec![0u8; size];
    let frame = reader
        .next_frame(&mut buffer)
        .map_err(|e| QrError(e.to_string()))?;
    let channels = frame.color_type.samples();
    let line = frame.line_size;
    let luma = |x: usize, y: usize| -> u8 {
        let p = &buffer[y * line + x * channels..];
        match channels {
            1 | 2 => p[0],
            _ => {
                let l =
                    (u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000;
                u8::try_from(l).unwrap_or(u8::MAX)
            }
        }
    };
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(width, height, luma);
    for grid in prepared.detect_grids() {
        if let Ok((_, text)) = grid.decode() {
            return Ok(text);
        }
    }
    Err(QrError("no readable QR code in the image".into()))
}
