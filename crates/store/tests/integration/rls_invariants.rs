//! Structural invariants of row-level security, checked on the migrated schema itself so that a
//! new table cannot forget them.

use attest_core::{Permission, Region};
use attest_testkit::database;

/// Every table (in any schema of ours) with an `org_id` column.
pub(crate) async fn organisation_tables(superuser: &sqlx::PgPool) -> anyhow::Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "select n.nspname || '.' || c.relname
         from pg_class c
         join pg_namespace n on n.oid = c.relnamespace
         join pg_attribute a on a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped
         where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
         order by 1",
    )
    .fetch_all(superuser)
    .await?)
}

#[tokio::test]
async fn every_organisation_table_forces_row_level_security_and_has_policies() -> anyhow::Result<()>
{
    let db = database(Region::Na).await?;
    let tables = organisation_tables(&db.superuser).await?;
    assert!(
        tables.len() >= 10,
        "expected the organisation tables, found {tables:?}"
    );
    for table in &tables {
        let (enabled, forced, policies): (bool, bool, i64) = sqlx::query_as(
            "select c.relrowsecurity, c.relforcerowsecurity,
                    (select count(*) from pg_policy p where p.polrelid = c.oid)
             from pg_class c where c.oid = $1::regclass",
        )
        .bind(table)
        .fetch_one(&db.superuser)
        .await?;
        assert!(enabled, "{table}: row level security is not enabled");
        assert!(forced, "{table}: row level security is not forced");
        assert!(policies >= 1, "{table}: has no policy");
    }
    Ok(())
}

#[tokio::test]
async fn org_id_leads_the_primary_key_of_every_organisation_table() -> anyhow::Result<()> {
    let db = database(Region::Na).await?;
    for table in organisation_tables(&db.superuser).await? {
        let first: Option<String> = sqlx::query_scalar(
            "select a.attname::text from pg_index i
             join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
             where i.indrelid = $1::regclass and i.indisprimary",
        )
        .bind(&table)
        .fetch_optional(&db.superuser)
        .await?;
        assert_eq!(
            first.as_deref(),
            Some("org_id"),
            "{table}: org_id must lead the primary key"
        );
    }
    Ok(())
}

#[tokio::test]
async fn the_application_role_is_not_superuser_does_not_bypass_rls_and_owns_nothing()
-> anyhow::Result<()> {
    let db = database(Region::Na).await?;
    let (superuser, bypass, createrole, createdb): (bool, bool, bool, bool) = sqlx::query_as(
        "select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user",
    )
    .fetch_one(&db.app)
    .await?;
    assert!(!superuser && !bypass && !createrole && !createdb);
    let owned: i64 = sqlx::query_scalar(
        "select (select count(*) from pg_class where relowner = r.oid)
              + (select count(*) from pg_namespace where nspowner = r.oid)
              + (select count(*) from pg_proc where proowner = r.oid)
              + (select count(*) from pg_database where datdba = r.oid)
         from pg_roles r where r.rolname = 'attest_app'",
    )
    .fetch_one(&db.superuser)
    .await?;
    assert_eq!(owned, 0, "attest_app must own nothing");
    Ok(())
}

#[tokio::test]
async fn the_application_role_cannot_change_the_schema_or_read_migrations_secrets()
-> anyhow::Result<()> {
    let db = database(Region::Na).await?;
    for statement in [
        "create table attest.sneaky (x int)",
        "create table public.sneaky (x int)",
        "alter table attest.users disable row level security",
        "alter table attest.users no force row level security",
        "drop policy users_select on attest.users",
        "delete from public._sqlx_migrations",
        "insert into attest.permissions (name, description) values ('x.y', 'z')",
        "update attest.database_region set region = 'ca'",
    ] {
        let result = sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
            .execute(&db.app)
            .await;
        assert!(
            result.is_err(),
            "attest_app must not be able to: {statement}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn no_security_definer_function_exists_in_our_schemas() -> anyhow::Result<()> {
    let db = database(Region::Na).await?;
    let definers: Vec<String> = sqlx::query_scalar(
        "select p.proname::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         where n.nspname in ('attest', 'directory', 'public') and p.prosecdef",
    )
    .fetch_all(&db.superuser)
    .await?;
    assert!(
        definers.is_empty(),
        "security definer functions: {definers:?}"
    );
    Ok(())
}

#[tokio::test]
async fn the_permission_catalogue_in_the_database_matches_the_code() -> anyhow::Result<()> {
    let db = database(Region::Na).await?;
    let mut stored: Vec<String> = sqlx::query_scalar("select name from attest.permissions")
        .fetch_all(&db.app)
        .await?;
    let mut code: Vec<String> = Permission::ALL
        .iter()
        .map(|p| p.name().to_owned())
        .collect();
    stored.sort();
    code.sort();
    assert_eq!(stored, code);
    Ok(())
}
