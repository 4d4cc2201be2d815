use crate::banner::{self, Banner};
use crate::config::Config;
use crate::kek::Kek;
use crate::runtime::Runtime;
use anyhow::Context as _;
use attest_core::{Clock, SystemClock};
use attest_crypto::PasswordParams;
use attest_server::tls::{self, TlsFiles};
use attest_server::{
    AppSettings, AppState, CpuPool, Listeners, Mailer, PasswordPool, RateLimits, app,
    run_sequencer, run_worker,
};
use secrecy::{ExposeSecret, SecretString};
use std::fs;
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::{Notify, watch};

pub(crate) async fn run(config: Config, demo_flag: bool) -> anyhow::Result<()> {
    let runtime = Runtime::start(&config, true).await?;
    let result = serve(&config, &runtime, demo_flag || config.demo).await;
    runtime.shutdown().await;
    result
}

async fn serve(config: &Config, runtime: &Runtime, demo: bool) -> anyhow::Result<()> {
    let kek = Arc::clone(&runtime.kek);
    let tokens = attest_store::signing_keys::token_keys(runtime.regions.primary(), kek.as_ref())
        .await
        .context("loading the token-signing key")?;
    let bundle_key =
        attest_store::signing_keys::bundle_key(runtime.regions.primary(), kek.as_ref())
            .await
            .context("loading the trust-bundle signing key")?;
    let mailer = Arc::new(match &config.smtp_url {
        Some(url) => Mailer::smtp(url.expose_secret(), &config.mail_from)?,
        None => Mailer::files(&runtime.data_dir.join("mail"), &config.mail_from)?,
    });
    attest_server::quiet_panics();
    let cpu = CpuPool::new(config.cpu_pool).context("starting the CPU pool")?;
    let passwords = PasswordPool::new(
        PasswordParams::default(),
        config.password_hash_concurrency,
        cpu.clone(),
    )?;
    let demo_password = if demo {
        Some(seed_demo(runtime, kek.as_ref(), &passwords).await?)
    } else {
        None
    };

    let tls_files = match &config.tls_cert {
        Some((cert, key)) => TlsFiles {
            cert: cert.clone(),
            key: key.clone(),
        },
        None => tls::self_signed(&runtime.data_dir.join("tls"), &config.tls_names)?,
    };
    let tls_config = tls::server_config(&tls_files)?;
    let listeners = Listeners::bind(config.https_addr, config.http_addr, tls_config)
        .await
        .with_context(|| format!("listening on {}", config.https_addr))?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let mail_queued = Arc::new(Notify::new());
    let limits = Arc::new(
        RateLimits::new(config.rate_limit.0, config.rate_limit.1).with_analyses(
            config.analysis_rate_limit,
            config.analysis_rate_limit.div_ceil(2),
        ),
    );
    let state = AppState {
        bundle_key: Arc::new(bundle_key),
        regions: runtime.regions.clone(),
        kek: Arc::clone(&kek) as Arc<dyn attest_crypto::KeyEncryptionKey>,
        passwords,
        cpu,
        parsers: attest_server::Parsers::new(config.parser_setting()?),
        concurrency: attest_server::Concurrency::new(attest_server::ConcurrencyLimits::default()),
        tokens: Arc::new(tokens),
        clock: Arc::clone(&clock),
        limits: Arc::clone(&limits),
        mail_queued: Arc::clone(&mail_queued),
        live: attest_server::LiveUpdates::new(),
        settings: Arc::new(AppSettings {
            public_url: config.public_url.clone(),
            cors_origins: config.cors_origins.clone(),
            web_dir: config.web_dir.clone(),
            demo,
            anonymous_retention: time::Duration::hours(i64::from(config.anonymous_retention_hours)),
            engine: config.engine.clone(),
            ..AppSettings::default()
        }),
    };
    banner::print(&Banner {
        public_url: &config.public_url,
        https_addr: listeners.https_addr()?,
        http_addr: listeners.http_addr(),
        self_signed: config.tls_cert.is_none(),
        data_dir: &runtime.data_dir,
        embedded_pg_dir: runtime.embedded_pg_dir(),
        demo_password: demo_password.as_ref().map(|p| p.expose_secret()),
    })?;
    let (stop, stopped) = watch::channel(false);
    state.live.listen(&runtime.regions);
    let worker = tokio::spawn(run_worker(
        runtime.regions.clone(),
        mailer,
        clock,
        mail_queued,
        stopped.clone(),
    ));
    let rewrap = tokio::spawn(attest_server::run_kek_rewrap_schedule(
        runtime.regions.clone(),
        Arc::clone(&kek) as Arc<dyn attest_crypto::KeyEncryptionKey>,
        Arc::clone(&state.clock),
        stopped.clone(),
    ));
    let sequencer = tokio::spawn(run_sequencer(runtime.regions.clone(), kek, stopped.clone()));
    let expiry = tokio::spawn(attest_server::run_expiry_schedule(
        runtime.regions.clone(),
        Arc::clone(&state.clock),
        Arc::clone(&state.mail_queued),
        stopped.clone(),
    ));
    let purge = tokio::spawn(attest_server::run_anonymous_purge_schedule(
        runtime.regions.clone(),
        Arc::clone(&state.clock),
        stopped.clone(),
    ));
    let housekeeping = tokio::spawn(shrink_rate_limits(limits, stopped));
    listeners
        .serve(app(state), &config.public_url, shutdown_signal())
        .await?;
    let _ = stop.send(true);
    let _ = worker.await;
    let _ = sequencer.await;
    let _ = expiry.await;
    let _ = purge.await;
    let _ = rewrap.await;
    let _ = housekeeping.await;
    tracing::info!("stopped serving");
    Ok(())
}

/// Seeds the demo organisations if missing; returns the demo accounts' password, made once and
/// kept in the data directory (0600) so that it is the same on every start.
async fn seed_demo(
    runtime: &Runtime,
    kek: &Kek,
    passwords: &PasswordPool,
) -> anyhow::Result<SecretString> {
    let password = demo_password(&runtime.data_dir.join("secrets").join("demo-password"))?;
    let hash = passwords
        .hash(password.clone())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let outcome = attest_store::demo::seed(&runtime.regions, kek, &hash)
        .await
        .context("seeding the demo organisations")?;
    for slug in outcome.created {
        tracing::info!(%slug, "demo organisation seeded");
    }
    Ok(password)
}

fn demo_password(path: &Path) -> anyhow::Result<SecretString> {
    if let Ok(existing) = fs::read_to_string(path) {
        return Ok(SecretString::from(existing.trim().to_owned()));
    }
    let password = readable_password()?;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(password.as_bytes())?;
    Ok(SecretString::from(password))
}

/// 80 random bits as four groups of four lowercase letters and digits (no look-alikes):
/// easy to type from a terminal, long enough for the password policy.
fn readable_password() -> anyhow::Result<String> {
    const ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz23456789_";
    let bytes = attest_crypto::random_bytes::<16>()?;
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b % 31)]))
        .collect();
    Ok(chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// Forgets idle per-IP rate-limit buckets every minute, so their memory stays bounded.
async fn shrink_rate_limits(limits: Arc<RateLimits>, mut stopped: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(60)) => limits.shrink(),
            _ = stopped.changed() => return,
        }
    }
}

pub(crate) async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {},
            _ = terminate.recv() => {},
        }
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demo_password_passes_the_password_policy() {
        let password = readable_password().unwrap();
        assert_eq!(password.len(), 19);
        attest_crypto::check_new_password(&password, &[]).unwrap();
    }
}
