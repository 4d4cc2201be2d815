//! The `attest` binary from the outside: its help, its configuration errors, and `migrate`
//! against existing PostgreSQL databases (the `DATABASE_URL` mode).

#![expect(clippy::panic, reason = "test helpers fail the test by panicking")]

mod analyze;
mod audit;
mod badge;
mod engine;
mod import;
mod keys;

use attest_store::embedded::ClusterRole;
use attest_testkit::{empty_database, shared_cluster};
use secrecy::ExposeSecret;
use std::process::{Command, Output};

fn attest(args: &[&str], env: &[(&str, &str)], data_dir: &std::path::Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_attest"));
    command
        .args(args)
        .env("ATTEST_DATA_DIR", data_dir)
        .env("ATTEST_LOG", "warn");
    for key in [
        "DATABASE_URL",
        "ATTEST_DATABASE_URL_CA",
        "ATTEST_MIGRATION_URL",
        "ATTEST_MIGRATION_URL_CA",
        "ATTEST_CONFIG",
    ] {
        command.env_remove(key);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    command
        .output()
        .unwrap_or_else(|e| panic!("running attest: {e}"))
}

/// The organisation `acme` (North America), created directly in the store.
async fn acme(
    t: &attest_testkit::TestRegions,
) -> anyhow::Result<attest_store::organisations::CreatedOrganisation> {
    use attest_core::{DisplayName, EmailAddress, OrgSlug, Region};
    let new = attest_store::organisations::NewOrganisation {
        slug: OrgSlug::parse("acme")?,
        name: DisplayName::parse("Acme Scaffolding")?,
        region: Region::Na,
        admin_email: EmailAddress::parse("admin@acme.example")?,
        admin_name: DisplayName::parse("Ada Admin")?,
        admin_password_hash:
            "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$Q2hlY2tlZCBieSBub2JvZHkgaW4gdGhpcyB0ZXN0"
                .into(),
    };
    Ok(attest_store::organisations::create(&t.regions, &new).await?)
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn help_names_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let output = attest(&["--help"], &[], dir.path());
    assert!(output.status.success());
    let help = text(&output);
    for command in ["serve", "migrate", "keys", "audit", "import"] {
        assert!(help.contains(command), "{help}");
    }
    let serve = text(&attest(&["serve", "--help"], &[], dir.path()));
    assert!(serve.contains("--demo"), "{serve}");
}

#[test]
fn an_invalid_setting_is_reported_by_name_and_nothing_starts() {
    let dir = tempfile::tempdir().unwrap();
    let output = attest(
        &["migrate"],
        &[("ATTEST_HTTPS_ADDR", "everywhere")],
        dir.path(),
    );
    assert!(!output.status.success());
    assert!(
        text(&output).contains("ATTEST_HTTPS_ADDR"),
        "{}",
        text(&output)
    );
    assert!(!dir.path().join("keys").exists(), "nothing was created");
}

#[test]
fn a_config_file_with_a_misspelt_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("attest.env");
    std::fs::write(&file, "ATTEST_HTTPS_ADR=0.0.0.0:443\n").unwrap();
    let output = attest(
        &["--config", file.to_str().unwrap(), "migrate"],
        &[],
        dir.path(),
    );
    assert!(!output.status.success());
    assert!(
        text(&output).contains("unknown setting ATTEST_HTTPS_ADR"),
        "{}",
        text(&output)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn migrate_brings_an_external_database_up_to_date_and_pins_its_region() -> anyhow::Result<()>
{
    let cluster = &shared_cluster().await?.cluster;
    let name = empty_database().await?;
    let app = cluster.url(ClusterRole::App, &name);
    let owner = cluster.url(ClusterRole::Owner, &name);
    let dir = tempfile::tempdir()?;
    let env = [
        ("DATABASE_URL", app.expose_secret()),
        ("ATTEST_MIGRATION_URL", owner.expose_secret()),
    ];
    let output = tokio::task::block_in_place(|| attest(&["migrate"], &env, dir.path()));
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("region(s): na"), "{}", text(&output));
    assert!(
        !text(&output).contains(app.expose_secret()),
        "URLs are never printed"
    );

    // Running it again is a no-op.
    let again = tokio::task::block_in_place(|| attest(&["migrate"], &env, dir.path()));
    assert!(again.status.success(), "{}", text(&again));

    // The same database offered as Canada's is refused.
    let env = [
        ("DATABASE_URL", app.expose_secret()),
        ("ATTEST_DATABASE_URL_CA", app.expose_secret()),
        ("ATTEST_MIGRATION_URL_CA", owner.expose_secret()),
    ];
    let miswired = tokio::task::block_in_place(|| attest(&["migrate"], &env, dir.path()));
    assert!(!miswired.status.success());
    assert!(
        text(&miswired).contains("serves region na"),
        "{}",
        text(&miswired)
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn attest_refuses_to_run_as_a_role_that_bypasses_row_level_security() -> anyhow::Result<()> {
    let cluster = &shared_cluster().await?.cluster;
    let name = empty_database().await?;
    let owner = cluster.url(ClusterRole::Owner, &name);
    let superuser = cluster.url(ClusterRole::Superuser, &name);
    let dir = tempfile::tempdir()?;
    let env = [
        ("DATABASE_URL", superuser.expose_secret()),
        ("ATTEST_MIGRATION_URL", owner.expose_secret()),
    ];
    let output = tokio::task::block_in_place(|| attest(&["migrate"], &env, dir.path()));
    assert!(!output.status.success());
    assert!(
        text(&output).contains("bypasses row-level security"),
        "{}",
        text(&output)
    );
    assert!(
        !text(&output).contains(superuser.expose_secret()),
        "URLs are never printed"
    );
    Ok(())
}
