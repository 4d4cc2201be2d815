"""The crash drill: `kill -9` of `attest serve` under write load, then of its embedded PostgreSQL,
each followed by a restart on the same data directory. Every write the server acknowledged is
still there, each has its audit event, and the exported ledger verifies offline."""

import json
import os
import signal
import subprocess
import tempfile
import threading
import time

import requests

from server import AUDITOR, AUTHOR, ROOT, Server

POSTING = "Warehouse associate in Fresno. Recent graduates preferred. Pay $21-$24 an hour."


class WriteLoad:
    """Two writers creating requisitions until stopped; keeps the ids the server acknowledged."""

    def __init__(self, server):
        self.server = server
        self.token = server.sign_in(AUTHOR)
        self.acknowledged = []
        self.errors = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def _write(self, writer):
        n = 0
        while not self._stop.is_set():
            n += 1
            try:
                r = self.server.call(
                    "POST",
                    "/api/v1/requisitions",
                    self.token,
                    json={"title": f"Crash drill {writer}-{n}", "text": POSTING},
                    timeout=10,
                )
            except requests.RequestException:  # the server is gone: nothing acknowledged
                self.errors += 1
                time.sleep(0.05)
                continue
            if r.status_code == 201:
                with self._lock:
                    self.acknowledged.append(r.json()["requisition_id"])
            else:
                self.errors += 1
                time.sleep(0.05)

    def __enter__(self):
        self._threads = [threading.Thread(target=self._write, args=(w,), daemon=True) for w in range(2)]
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for t in self._threads:
            t.join()


def postmaster_pid(data_dir):
    with open(os.path.join(data_dir, "postgres", "data", "postmaster.pid")) as f:
        return int(f.readline())


def check_survivors(server, acknowledged):
    """Each acknowledged requisition readable, each with its `requisition.created` event, and the
    ledger's export verifying offline against the published key."""
    failures = []
    author = server.sign_in(AUTHOR)
    missing = [i for i in acknowledged if server.call("GET", f"/api/v1/requisitions/{i}", author).status_code != 200]
    if missing:
        failures.append(f"{len(missing)} acknowledged writes lost: {missing[:5]}")
    auditor = server.sign_in(AUDITOR)
    vkey = server.call("GET", "/api/v1/audit/checkpoint", auditor).json()["vkey"]
    export = server.call("GET", "/api/v1/audit/export", auditor)
    if export.status_code != 200:
        return failures + [f"export answered {export.status_code}"]
    created = set()
    for line in export.text.splitlines()[1:]:
        event = json.loads(line).get("event", {})
        if event.get("action") == "requisition.created":
            created.add((event.get("resource") or {}).get("id"))
    unaudited = [i for i in acknowledged if i not in created]
    if unaudited:
        failures.append(f"{len(unaudited)} acknowledged writes without their audit event: {unaudited[:5]}")
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.write(export.text)
    binary = os.environ.get("ATTEST_BIN", os.path.join(ROOT, "target/debug/attest"))
    verified = subprocess.run(
        [binary, "audit", "verify", f.name, "--key", vkey], capture_output=True, text=True
    )
    os.unlink(f.name)
    if verified.returncode != 0:
        failures.append(f"the ledger does not verify: {verified.stdout} {verified.stderr}")
    print(f"    {len(acknowledged)} acknowledged, all there and audited: {not failures}; ledger: {verified.stdout.strip()}", flush=True)
    return failures


def drill():
    failures = []
    server = Server().start()
    data_dir = server.data_dir
    try:
        # 1. The server, killed.
        with WriteLoad(server) as load:
            time.sleep(4)
            server.kill()
            time.sleep(0.5)
        print(f"  attest killed under load: {len(load.acknowledged)} writes acknowledged", flush=True)
        server = Server(data_dir=data_dir, password=server.password).start()
        failures += check_survivors(server, load.acknowledged)
        before = list(load.acknowledged)

        # 2. Its PostgreSQL, killed; then the server restarted.
        with WriteLoad(server) as load:
            time.sleep(4)
            os.kill(postmaster_pid(data_dir), signal.SIGKILL)
            time.sleep(1)
        print(f"  PostgreSQL killed under load: {len(load.acknowledged)} writes acknowledged", flush=True)
        server.stop()
        server = Server(data_dir=data_dir, password=server.password).start()
        failures += check_survivors(server, before + load.acknowledged)
    finally:
        server.stop()
    return failures
