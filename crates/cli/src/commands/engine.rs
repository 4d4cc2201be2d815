//! `attest engine serve`: the requisition engine as a separate process, reachable only on a unix
//! socket or a loopback port.

use anyhow::Context as _;
use attest_server::EngineSetting;
use std::path::PathBuf;

pub(crate) async fn serve(
    config: &crate::config::Config,
    socket: Option<PathBuf>,
    listen: Option<String>,
) -> anyhow::Result<()> {
    let setting = match (socket, listen) {
        (Some(path), None) => EngineSetting::Unix(path),
        (None, Some(addr)) => match EngineSetting::parse(&addr).map_err(anyhow::Error::msg)? {
            EngineSetting::Loopback(addr) => EngineSetting::Loopback(addr),
            _ => anyhow::bail!("--listen takes a loopback address such as 127.0.0.1:7070"),
        },
        _ => anyhow::bail!("give --socket PATH or --listen 127.0.0.1:PORT"),
    };
    attest_server::quiet_panics();
    let place = match &setting {
        EngineSetting::Unix(path) => format!("unix:{}", path.display()),
        EngineSetting::Loopback(addr) => addr.to_string(),
        EngineSetting::InProcess => String::new(),
    };
    tracing::info!(%place, rule_pack = attest_reqiq::RULE_PACK_VERSION, "requisition engine serving");
    {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "Requisition engine (rule pack {}) on {place}; set ATTEST_ENGINE={place} for the server.",
            attest_reqiq::RULE_PACK_VERSION
        )?;
    }
    let parsers = attest_server::Parsers::new(config.parser_setting()?);
    attest_server::serve_engine(&setting, parsers, super::serve::shutdown_signal())
        .await
        .with_context(|| format!("serving the engine on {place}"))?;
    if let EngineSetting::Unix(path) = &setting {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}
