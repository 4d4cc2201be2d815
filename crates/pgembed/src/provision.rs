//! Creating the login roles and the region databases in the embedded cluster (idempotent).

use super::{APP_ROLE, ClusterRole, EmbeddedCluster, EmbeddedError, OWNER_ROLE};
use secrecy::ExposeSecret;
use sqlx::{ConnectOptions as _, Connection, PgConnection};

impl EmbeddedCluster {
    /// Ensures `attest_owner` and `attest_app` exist with the current passwords and the right
    /// attributes, and that each database in `databases` exists, owned by `attest_owner`, with
    /// only the two roles allowed to connect.
    pub async fn provision(&self, databases: &[&str]) -> Result<(), EmbeddedError> {
        // The role statements carry passwords: sqlx's statement log (at debug) must not see them.
        let mut conn = PgConnection::connect_with(
            &self
                .connect_options(ClusterRole::Superuser, "postgres")
                .disable_statement_logging(),
        )
        .await?;
        // The owner creates schemas and tables; the application role can do nothing but log in
        // until the migrations grant it table privileges.
        let attributes = "nosuperuser nocreatedb nocreaterole noreplication nobypassrls";
        ensure_role(
            &mut conn,
            OWNER_ROLE,
            self.secrets.owner.expose_secret(),
            attributes,
        )
        .await?;
        ensure_role(
            &mut conn,
            APP_ROLE,
            self.secrets.app.expose_secret(),
            attributes,
        )
        .await?;
        for database in databases {
            ensure_database(&mut conn, database).await?;
        }
        conn.close().await?;
        Ok(())
    }
}

async fn ensure_role(
    conn: &mut PgConnection,
    role: &str,
    password: &str,
    attributes: &str,
) -> Result<(), sqlx::Error> {
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from pg_roles where rolname = $1)")
            .bind(role)
            .fetch_one(&mut *conn)
            .await?;
    let verb = if exists { "alter" } else { "create" };
    // DDL takes no bind parameters: let the server quote the identifier and the literal.
    let statement: String = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "select format('{verb} role %I with login {attributes} password %L', $1::text, $2::text)"
    )))
    .bind(role)
    .bind(password)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn ensure_database(conn: &mut PgConnection, database: &str) -> Result<(), sqlx::Error> {
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(database)
            .fetch_one(&mut *conn)
            .await?;
    if !exists {
        let create: String = sqlx::query_scalar(
            "select format('create database %I owner %I encoding ''UTF8'' template template0', $1::text, $2::text)",
        )
        .bind(database)
        .bind(OWNER_ROLE)
        .fetch_one(&mut *conn)
        .await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(create))
            .execute(&mut *conn)
            .await?;
    }
    for statement in [
        "select format('revoke all on database %I from public', $1::text, $2::text)",
        "select format('grant connect, temporary on database %I to %I', $1::text, $2::text)",
    ] {
        let sql: String = sqlx::query_scalar(statement)
            .bind(database)
            .bind(APP_ROLE)
            .fetch_one(&mut *conn)
            .await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
