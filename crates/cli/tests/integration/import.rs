//! `attest import credentials` from the outside: a progress bar, all or nothing, every problem
//! by row and column, the same file twice changes nothing, and exit statuses 0 / 1 / 2.

use crate::{attest, text};
use attest_core::{BuiltinRole, DisplayName, EmailAddress, UserId};
use attest_store::embedded::ClusterRole;
use attest_store::{AccessContext, begin, credential_types, people};
use attest_testkit::{regions, shared_cluster};
use secrecy::ExposeSecret;
use std::process::Output;

#[tokio::test(flavor = "multi_thread")]
async fn an_import_from_the_command_line_is_all_or_nothing_and_idempotent() -> anyhow::Result<()> {
    let t = regions().await?;
    let created = crate::acme(&t).await?;
    let org_id = created.organisation.org_id;
    let admin = AccessContext {
        org_id,
        user_id: Some(created.admin_id),
        permissions: BuiltinRole::OrgAdmin.permissions(),
    };
    let mut tx = begin(&t.na.app, &admin).await?;
    for (email, name) in [
        ("liam@acme.example", "Liam Chen"),
        ("mia@acme.example", "Mia Roy"),
    ] {
        let person = people::NewPerson {
            user_id: UserId::new(),
            email: EmailAddress::parse(email)?,
            display_name: DisplayName::parse(name)?,
            role_id: created.roles["worker"],
        };
        people::insert(&mut tx, org_id, &person).await?;
    }
    tx.commit().await?;
    let manager = AccessContext {
        permissions: BuiltinRole::HseManager.permissions(),
        ..admin
    };
    let mut tx = begin(&t.na.app, &manager).await?;
    let starters: Vec<_> = attest_core::STARTER_CATALOGUE.iter().collect();
    credential_types::adopt(&mut tx, org_id, &starters).await?;
    tx.commit().await?;

    let dir = tempfile::tempdir()?;
    // What `attest migrate` does as the owner: the platform's keys, under this data
    // directory's key-encryption key.
    std::fs::create_dir_all(dir.path().join("keys"))?;
    let kek = attest_crypto::LocalKek::open_or_create(&dir.path().join("keys").join("kek"))?;
    attest_store::signing_keys::ensure(&t.na.owner, &kek).await?;
    let app_url = shared_cluster()
        .await?
        .cluster
        .url(ClusterRole::App, &t.na.name)
        .expose_secret()
        .to_owned();
    let run = |file: &str, contents: &[u8], extra: &[&str]| -> Output {
        let path = dir.path().join(file);
        std::fs::write(&path, contents).unwrap_or_default();
        let path = path.to_string_lossy().into_owned();
        let mut args = vec!["import", "credentials", "--org", "acme"];
        args.extend_from_slice(extra);
        args.push(&path);
        tokio::task::block_in_place(|| {
            attest(&args, &[("DATABASE_URL", app_url.as_str())], dir.path())
        })
    };
    let stored = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from attest.credential_versions")
            .fetch_one(&t.na.superuser)
            .await
    };

    let good = b"email,credential,issuer,issued_on,expires_on,number\n\
        liam@acme.example,WAH,IHSA,2026-01-10,2029-01-10,WAH-1\n\
        mia@acme.example,H2S,Energy Safety Canada,2026-03-01,,H2S-2\n";
    // Refused whole: one bad row stops the file; every problem is printed by row and column.
    let mut mixed = good.to_vec();
    mixed.extend_from_slice(
        b"ghost@acme.example,WAH,IHSA,2026-01-10,,\nmia@acme.example,FORK,Lift,01/02/2026,,\n",
    );
    let refused = run("mixed.csv", &mixed, &[]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    let said = text(&refused);
    assert!(
        said.contains("Nothing was imported: 2 problem(s)"),
        "{said}"
    );
    assert!(
        said.contains(
            "row 4, email: no member of the organisation has the address ghost@acme.example"
        ),
        "{said}"
    );
    assert!(said.contains("row 5, issued_on:"), "{said}");
    assert_eq!(stored().await?, 0);

    let dry = run("good.csv", good, &["--dry-run"]);
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry));
    assert!(
        text(&dry).contains("Dry run: every row is fine (2 added"),
        "{}",
        text(&dry)
    );
    assert_eq!(stored().await?, 0);

    let imported = run("good.csv", good, &[]);
    assert_eq!(imported.status.code(), Some(0), "{}", text(&imported));
    assert!(
        text(&imported).contains("Imported 2 row(s): 2 added, 0 renewed, 0 unchanged."),
        "{}",
        text(&imported)
    );
    assert_eq!(stored().await?, 2);
    let again = run("good.csv", good, &[]);
    assert!(
        text(&again).contains("0 added, 0 renewed, 2 unchanged"),
        "{}",
        text(&again)
    );
    assert_eq!(stored().await?, 2);
    let recorded: i64 = sqlx::query_scalar("select count(*) from audit.events where action = 'credentials.imported' and actor_kind = 'system'")
        .fetch_one(&t.na.superuser)
        .await?;
    assert_eq!(recorded, 2);

    // Workers: a new address becomes a worker and is invited; the same file again changes nothing.
    let run_workers = |contents: &[u8]| -> Output {
        let path = dir.path().join("workers.csv");
        std::fs::write(&path, contents).unwrap_or_default();
        let path = path.to_string_lossy().into_owned();
        let args = ["import", "workers", "--org", "acme", path.as_str()];
        tokio::task::block_in_place(|| {
            attest(&args, &[("DATABASE_URL", app_url.as_str())], dir.path())
        })
    };
    let workers = b"email,name\nzoe@acme.example,Zoe Wilson\nliam@acme.example,Liam Chen\n";
    let first = run_workers(workers);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    assert!(
        text(&first).contains("Imported 2 row(s): 1 added, 0 updated, 1 unchanged."),
        "{}",
        text(&first)
    );
    let invited: i64 = sqlx::query_scalar("select count(*) from attest.outbox where to_address = 'zoe@acme.example' and kind = 'invitation'")
        .fetch_one(&t.na.superuser)
        .await?;
    assert_eq!(invited, 1);
    let again = run_workers(workers);
    assert!(
        text(&again).contains("0 added, 0 updated, 2 unchanged"),
        "{}",
        text(&again)
    );

    // A file that cannot be used at all: exit 2, with why.
    let latin1 = run(
        "latin1.csv",
        b"email,credential,issuer,issued_on\nliam@acme.example,WAH,Soci\xe9t\xe9,2026-01-01\n",
        &[],
    );
    assert_eq!(latin1.status.code(), Some(2), "{}", text(&latin1));
    assert!(text(&latin1).contains("not UTF-8"), "{}", text(&latin1));
    let columns = run("columns.csv", b"who,what\nliam,WAH\n", &[]);
    assert_eq!(columns.status.code(), Some(2));
    assert!(
        text(&columns).contains("missing email, credential, issuer, issued_on"),
        "{}",
        text(&columns)
    );
    Ok(())
}
