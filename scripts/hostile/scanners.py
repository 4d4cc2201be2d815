"""Independent scanners against a running server: schemathesis over the OpenAPI document as three
roles, sqlmap over parameterised endpoints, sslyze over the HTTPS port. Each returns failures."""

import json
import os
import subprocess
import sys
import tempfile
import time

from server import ADMIN, AUTHOR, SUPERVISOR, WORKER

VENV_BIN = os.path.dirname(sys.executable)

# How many cases per operation and role: a short profile for `make test`, a long one for
# `make fuzz` (some 10,000 cases in all and more).
PROFILES = {"short": 4, "long": 60}


def run(args, timeout):
    print("  $ " + " ".join(a if len(a) < 80 else a[:77] + "..." for a in args), flush=True)
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, errors="replace")


def schemathesis(server, profile):
    """0 server errors and 0 responses that break the schema, signed in as a worker, a
    supervisor and an administrator (last: its fuzzing may suspend the others)."""
    failures = []
    for who in (WORKER, SUPERVISOR, ADMIN):
        token = server.sign_in(who)
        with tempfile.TemporaryDirectory() as reports:
            result = run(
                [
                    os.path.join(VENV_BIN, "schemathesis"),
                    "run",
                    f"{server.url}/api/openapi.json",
                    "--url",
                    server.url,
                    "--header",
                    f"Authorization: Bearer {token}",
                    "--tls-verify",
                    "false",
                    "--checks",
                    "not_a_server_error,response_schema_conformance",
                    "--phases",
                    "examples,fuzzing",
                    "--max-examples",
                    str(PROFILES[profile]),
                    "--seed",
                    "20261204",
                    "--workers",
                    "2",
                    "--generation-database",
                    "none",
                    "--no-color",
                    "--report",
                    "junit",
                    "--report-dir",
                    reports,
                ],
                timeout=1800,
            )
        lines = result.stdout.splitlines()
        print("\n".join(lines[-12:]), flush=True)
        if result.returncode != 0:
            # The failures section names each case with a curl command to reproduce it.
            # An error (a dropped connection, a timeout) is listed under ERRORS instead.
            start = next(
                (i for i, l in enumerate(lines) if "FAILURES" in l or "ERRORS" in l),
                max(len(lines) - 80, 0),
            )
            detail = "\n".join(lines[start : start + 150])
            failures.append(f"schemathesis as {who}:\n{detail}\n{result.stderr[-2000:]}")
    return failures


# sqlmap's depth (--level, --risk) per profile: the long one tries more payloads and places.
SQLMAP_DEPTH = {"short": ("1", "1"), "long": ("3", "2")}


def sqlmap(server, profile="short"):
    """Nothing injectable in a sample of parameterised endpoints: query strings, a path id and
    a JSON body, signed in and not."""
    level, risk = SQLMAP_DEPTH[profile]
    admin = server.sign_in(ADMIN)
    bearer = f"Authorization: Bearer {admin}"
    worker = server.call("GET", "/api/v1/workers", admin).json()[0]["worker_id"]
    author = server.sign_in(AUTHOR)
    requisition = server.call("GET", "/api/v1/requisitions", author).json()[0]["requisition_id"]
    targets = [
        (f"{server.url}/api/v1/audit/events?action=auth*&resource_type=account*&limit=5", bearer, None),
        (f"{server.url}/api/v1/workers/{worker}*", bearer, None),
        (f"{server.url}/api/v1/requisitions/{requisition}*", f"Authorization: Bearer {author}", None),
        (
            f"{server.url}/api/v1/auth/sign-in",
            "Content-Type: application/json",
            # A demo worker no other check signs in as: sqlmap's wrong passwords lock the account.
            '{"organisation":"northwind*","email":"ava.martin@northwind.example*","password":"x*"}',
        ),
    ]
    failures = []
    with tempfile.TemporaryDirectory() as out:
        for url, header, data in targets:
            args = [
                os.path.join(VENV_BIN, "sqlmap"),
                "-u",
                url,
                "--headers",
                header,
                "--batch",
                "--level",
                level,
                "--risk",
                risk,
                "--technique",
                "BEUST",
                "--time-sec",
                "2",
                "--flush-session",
                "--ignore-code",
                "400,401,403,404,409,422,429",
                "--disable-coloring",
                "--output-dir",
                out,
            ]
            if data:
                args += ["--data", data]
            result = run(args, timeout=600 if profile == "short" else 3600)
            text = result.stdout
            found = [
                line
                for line in text.splitlines()
                if "is vulnerable" in line
                or "appears to be" in line and "injectable" in line and "not" not in line
                or "identified the following injection point" in line
            ]
            clean = "do not appear to be injectable" in text or "not injectable" in text
            print(f"  {url}: {'clean' if clean and not found else 'SEE BELOW'}", flush=True)
            if found or not clean:
                failures.append(f"sqlmap {url}:\n" + "\n".join(text.splitlines()[-30:]))
    return failures


FORWARD_SECRET_AEAD = ("ECDHE",)
AEAD = ("GCM", "CHACHA20")


def sslyze(server):
    """TLS 1.2 and 1.3 only; TLS 1.2 with forward-secret AEAD suites only; HSTS as documented."""
    failures = []
    with tempfile.TemporaryDirectory() as out:
        path = os.path.join(out, "sslyze.json")
        result = run(
            # Our own checks below: the default one also wants a publicly trusted certificate, and
            # this one is the documented self-signed certificate for localhost.
            [
                os.path.join(VENV_BIN, "sslyze"),
                "--mozilla_config",
                "disable",
                "--certinfo",
                "--sslv2",
                "--sslv3",
                "--tlsv1",
                "--tlsv1_1",
                "--tlsv1_2",
                "--tlsv1_3",
                "--http_headers",
                "--heartbleed",
                "--robot",
                "--compression",
                "--json_out",
                path,
                f"localhost:{server.port}",
            ],
            timeout=600,
        )
        if result.returncode != 0 or not os.path.exists(path):
            return [f"sslyze failed: {result.stdout[-2000:]} {result.stderr[-2000:]}"]
        with open(path) as f:
            report = json.load(f)
    scan = report["server_scan_results"][0]["scan_result"]

    def accepted(name):
        return [s["cipher_suite"]["name"] for s in scan[name]["result"]["accepted_cipher_suites"]]

    for old in ("ssl_2_0_cipher_suites", "ssl_3_0_cipher_suites", "tls_1_0_cipher_suites", "tls_1_1_cipher_suites"):
        if accepted(old):
            failures.append(f"{old}: {accepted(old)}")
    tls12 = accepted("tls_1_2_cipher_suites")
    weak = [s for s in tls12 if not (any(f in s for f in FORWARD_SECRET_AEAD) and any(a in s for a in AEAD))]
    if not tls12 or weak:
        failures.append(f"TLS 1.2 suites {tls12}: not forward-secret AEAD: {weak}")
    if not accepted("tls_1_3_cipher_suites"):
        failures.append("TLS 1.3 is not offered")
    hsts = scan["http_headers"]["result"]["strict_transport_security_header"]
    if not hsts or (hsts.get("max_age") or 0) < 31536000:
        failures.append(f"HSTS: {hsts}")
    for attack in ("heartbleed", "robot", "tls_compression"):
        result = scan[attack]["result"] or {}
        vulnerable = result.get("is_vulnerable_to_heartbleed") or result.get("supports_compression")
        robot = str(result.get("robot_result", ""))
        if vulnerable or "VULNERABLE" in robot and "NOT_VULNERABLE" not in robot:
            failures.append(f"{attack}: {result}")
    deployment = scan["certificate_info"]["result"]["certificate_deployments"][0]
    leaf = deployment["received_certificate_chain"][0]
    names = leaf["subject_alternative_name"]["dns_names"]
    if "localhost" not in names:
        failures.append(f"the certificate does not name localhost: {names}")
    print(f"  certificate: {leaf['subject']['rfc4514_string']}, names {names}", flush=True)
    print(f"  TLS 1.2: {tls12}", flush=True)
    print(f"  TLS 1.3: {accepted('tls_1_3_cipher_suites')}", flush=True)
    print(f"  HSTS: {hsts}", flush=True)
    return failures


def log_has_no_live_links(server):
    """Mail goes to files here: the log names each file and never holds a link's token."""
    r = server.call(
        "POST",
        "/api/v1/organisations",
        json={
            "slug": "hostile-log",
            "name": "Hostile Log Ltd",
            "region": "na",
            "admin": {"email": "ada@hostile-log.example", "name": "Ada Admin", "password": "aurora over the rig floor"},
        },
    )
    failures = [] if r.status_code == 201 else [f"sign-up answered {r.status_code}: {r.text}"]
    server.call("POST", "/api/v1/auth/forgot-password", json={"organisation": "hostile-log", "email": "ada@hostile-log.example"})
    deadline = time.time() + 20
    while time.time() < deadline and server.log().count("mail written") < 2:
        time.sleep(0.2)
    log = server.log()
    if log.count("mail written") < 2:
        failures.append("no 'mail written' lines in the log")
    if "#token=" in log or "token=ey" in log:
        failures.append("a live link's token is in the log")
    if ".eml" not in log:
        failures.append("the log does not name the .eml file")
    return failures
