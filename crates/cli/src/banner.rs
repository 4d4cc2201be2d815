//! What `attest serve` prints when it is ready: where to sign in, and the demo accounts.

use attest_store::demo;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::Path;

pub(crate) struct Banner<'a> {
    pub(crate) public_url: &'a str,
    pub(crate) https_addr: SocketAddr,
    pub(crate) http_addr: Option<SocketAddr>,
    pub(crate) self_signed: bool,
    pub(crate) data_dir: &'a Path,
    pub(crate) embedded_pg_dir: Option<&'a Path>,
    pub(crate) demo_password: Option<&'a str>,
}

pub(crate) fn print(b: &Banner<'_>) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out)?;
    writeln!(out, "Attest is running.")?;
    writeln!(out)?;
    writeln!(out, "  Open          {}", b.public_url)?;
    writeln!(out, "  Listening on  https://{}", b.https_addr)?;
    if let Some(http) = b.http_addr {
        writeln!(out, "  Redirecting   http://{http} to HTTPS")?;
    }
    if b.self_signed {
        writeln!(
            out,
            "  Certificate   self-signed for localhost: your browser will ask you to accept it once"
        )?;
    }
    writeln!(out, "  Data          {}", b.data_dir.display())?;
    if let Some(pg) = b.embedded_pg_dir {
        writeln!(
            out,
            "  Database      embedded PostgreSQL in {} (unix socket only)",
            pg.display()
        )?;
    }
    writeln!(
        out,
        "  Health        {}/healthz and {}/readyz",
        b.public_url, b.public_url
    )?;
    writeln!(out, "  API           {}/api/openapi.json", b.public_url)?;
    if let Some(password) = b.demo_password {
        writeln!(out)?;
        writeln!(
            out,
            "Demo sign-in: every demo account's password is  {password}"
        )?;
        let mut organisation = String::new();
        for account in demo::accounts() {
            if account.organisation != organisation {
                organisation.clone_from(&account.organisation);
                writeln!(out)?;
                writeln!(
                    out,
                    "  {} (organisation \"{}\", data in {})",
                    account.organisation,
                    account.slug,
                    account.region.label()
                )?;
            }
            writeln!(out, "    {:<38} {}", account.email, account.role.name())?;
        }
    }
    writeln!(out)?;
    writeln!(out, "Press Ctrl-C to stop.")?;
    out.flush()
}
