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
