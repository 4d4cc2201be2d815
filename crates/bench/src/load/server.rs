//! A real `attest serve --demo` started as a user starts it: a fresh data directory, embedded
//! PostgreSQL, a self-signed certificate, free loopback ports. Its memory is read from
//! `/proc/PID/status`; it is stopped with SIGTERM so its PostgreSQL stops with it.

use anyhow::Context as _;
use std::io::{BufRead as _, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long the first start (a new cluster, the demo organisations) may take.
const START_TIMEOUT: Duration = Duration::from_secs(300);

pub(crate) struct Server {
    child: Child,
    pub(crate) addr: SocketAddr,
    pub(crate) data_dir: tempfile::TempDir,
    /// The demo accounts' password, printed when the demo is made.
    pub(crate) password: String,
    /// The last lines it printed (for a failure's report).
    output: Arc<Mutex<Vec<String>>>,
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Server {
    /// Starts `binary serve --demo` and waits until it says it is ready. Rate limits on the
    /// unauthenticated endpoints are raised: all the load comes from one address.
    pub(crate) fn start(binary: &Path, web_dir: Option<&Path>) -> anyhow::Result<Self> {
        let data_dir = tempfile::Builder::new().prefix("attest-load-").tempdir()?;
        let (https, http) = (free_port()?, free_port()?);
        let mut command = Command::new(binary);
        command
            .args(["serve", "--demo"])
            .env_remove("DATABASE_URL")
            .env_remove("ATTEST_CONFIG")
            .env("ATTEST_DATA_DIR", data_dir.path())
            .env("ATTEST_HTTPS_ADDR", format!("127.0.0.1:{https}"))
            .env("ATTEST_HTTP_ADDR", format!("127.0.0.1:{http}"))
            .env("ATTEST_PUBLIC_URL", format!("https://localhost:{https}"))
            .env("ATTEST_LOG", "warn")
            .env("ATTEST_RATE_LIMIT_PER_MINUTE", "100000")
            .env("ATTEST_RATE_LIMIT_BURST", "10000")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(dir) = web_dir {
            command.env("ATTEST_WEB_DIR", dir);
        }
        let mut child = command
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let output = Arc::new(Mutex::new(Vec::new()));
        let (ready_tx, ready_rx) = mpsc::channel();
        for stream in [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let (output, ready_tx) = (Arc::clone(&output), ready_tx.clone());
            std::thread::spawn(move || {
                let mut password = None;
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Some(rest) = line.split("password is").nth(1) {
                        password = rest.split_whitespace().next().map(str::to_owned);
                    }
                    if line.contains("Press Ctrl-C to stop.") {
                        let _ = ready_tx.send(password.take());
                    }
                    let mut kept = output.lock().unwrap_or_else(|e| e.into_inner());
                    if kept.len() > 200 {
                        kept.remove(0);
                    }
                    kept.push(line);
                }
            });
        }
        let mut server = Self {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], https)),
            data_dir,
            password: String::new(),
            output,
        };
        match ready_rx.recv_timeout(START_TIMEOUT) {
            Ok(Some(password)) => server.password = password,
            Ok(None) => anyhow::bail!("attest started without printing the demo password"),
            Err(_) => anyhow::bail!("attest did not start:\n{}", server.log()),
        }
        Ok(server)
    }

    pub(crate) fn certificate(&self) -> PathBuf {
        self.data_dir.path().join("tls/self-signed.crt")
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(crate) fn log(&self) -> String {
        self.output
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .join("\n")
    }

    /// A `VmRSS`/`VmHWM`-style field of the server process, in MiB.
    pub(crate) fn memory_mib(&self, field: &str) -> f64 {
        memory_mib(self.pid(), field).unwrap_or(0.0)
    }
}

/// A `VmRSS`/`VmHWM`-style field of process `pid`'s `/proc/PID/status`, in MiB.
pub(crate) fn memory_mib(pid: u32, field: &str) -> Option<f64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse::<f64>()
        .ok()
        .map(|kib| kib / 1024.0)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        for _ in 0..600 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
