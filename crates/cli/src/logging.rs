use crate::config::Config;
use tracing_subscriber::EnvFilter;

/// Logs go to standard error, as text or JSON lines. Request logs carry the request id through
/// the request's span.
pub(crate) fn init(config: &Config) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(&config.log_filter).map_err(|e| {
        anyhow::anyhow!(
            "ATTEST_LOG={:?} is not a valid filter: {e}",
            config.log_filter
        )
    })?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let result = if config.log_json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    result.map_err(|e| anyhow::anyhow!("could not set up logging: {e}"))
}
