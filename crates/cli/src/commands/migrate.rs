use crate::config::Config;
use crate::runtime::Runtime;
use std::io::Write as _;

pub(crate) async fn run(config: Config) -> anyhow::Result<()> {
    let runtime = Runtime::start(&config, true).await?;
    let regions: Vec<&str> = runtime.regions.regions().map(|r| r.code()).collect();
    runtime.shutdown().await;
    writeln!(
        std::io::stdout(),
        "Schema version {} is in place in region(s): {}.",
        attest_store::expected_schema_version(),
        regions.join(", ")
    )?;
    Ok(())
}
