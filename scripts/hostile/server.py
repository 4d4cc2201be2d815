"""A real `attest serve --demo` for the hostile suite: started as a user starts it (embedded
PostgreSQL, self-signed TLS) on a fresh data directory and free ports, with its output kept for
the checks that read the log, and its resident memory readable from /proc."""

import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time

import requests
import urllib3

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `attest serve --demo`; `start()` waits until it says it is ready."""

    def __init__(self, data_dir=None, env=None, password=None):
        self.port = free_port()
        self.http_port = free_port()
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="attest-hostile-")
        self.url = f"https://localhost:{self.port}"
        self.extra_env = env or {}
        self.process = None
        self.output = []
        # The demo's password, printed when the demo is first made (pass it on to a restart).
        self.password = password

    def start(self, timeout=240):
        binary = os.environ.get("ATTEST_BIN", os.path.join(ROOT, "target/debug/attest"))
        env = dict(os.environ)
        env.update(
            {
                "ATTEST_DATA_DIR": self.data_dir,
                "ATTEST_HTTPS_ADDR": f"127.0.0.1:{self.port}",
                "ATTEST_HTTP_ADDR": f"127.0.0.1:{self.http_port}",
                "ATTEST_PUBLIC_URL": self.url,
                "ATTEST_WEB_DIR": os.path.join(ROOT, "web/dist"),
                "ATTEST_LOG": "info",
                "ATTEST_RATE_LIMIT_PER_MINUTE": "6000",
                "ATTEST_RATE_LIMIT_BURST": "2000",
            }
        )
        env.update(self.extra_env)
        for key in ("DATABASE_URL", "ATTEST_CONFIG"):
            env.pop(key, None)
        self.output = []
        self.process = subprocess.Popen(
            [binary, "serve", "--demo"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        ready = threading.Event()

        def pump():
            for line in self.process.stdout:
                self.output.append(line)
                if "Press Ctrl-C to stop." in line:
                    ready.set()

        threading.Thread(target=pump, daemon=True).start()
        deadline = time.time() + timeout
        while not ready.wait(0.5):
            if self.process.poll() is not None or time.time() > deadline:
                raise RuntimeError("attest did not start:\n" + self.log())
        match = re.search(r"password is\s+(\S+)", self.log())
        self.password = match.group(1) if match else self.password
        return self

    def log(self):
        return "".join(self.output)

    def rss_kib(self):
        """The server process's resident memory (not the embedded PostgreSQL's)."""
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self):
        """`kill -9`: no shutdown at all."""
        self.process.kill()
        self.process.wait()

    # --- the API, as a client ---

    def session(self):
        s = requests.Session()
        s.verify = False
        s.headers["origin"] = self.url
        return s

    def sign_in(self, email, organisation="northwind"):
        """An access token for a demo account."""
        s = self.session()
        r = s.post(
            f"{self.url}/api/v1/auth/sign-in",
            json={"organisation": organisation, "email": email, "password": self.password},
            timeout=30,
            verify=False,
        )
        r.raise_for_status()
        body = r.json()
        if body.get("status") != "signed_in":
            raise RuntimeError(f"{email}: {body}")
        return body["access_token"]

    def call(self, method, path, token=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["authorization"] = f"Bearer {token}"
        kwargs.setdefault("timeout", 120)
        return requests.request(method, f"{self.url}{path}", headers=headers, verify=False, **kwargs)


class PeakRss:
    """Samples a process's RSS every few milliseconds while in a `with` block."""

    def __init__(self, server):
        self.server = server
        self.peak = 0
        self.base = 0
        self._stop = threading.Event()

    def __enter__(self):
        self.base = self.server.rss_kib()
        self.peak = self.base

        def sample():
            while not self._stop.is_set():
                self.peak = max(self.peak, self.server.rss_kib())
                time.sleep(0.005)

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.server.rss_kib())

    @property
    def grown_kib(self):
        return self.peak - self.base


ADMIN = "olivia.grant@northwind.example"
HSE = "hannah.okafor@northwind.example"
SUPERVISOR = "samuel.reyes@northwind.example"
WORKER = "liam.chen@northwind.example"
AUTHOR = "daniel.park@northwind.example"
AUDITOR = "aisha.khan@northwind.example"
