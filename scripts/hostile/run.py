"""The hostile suite: a real `attest serve --demo`, then bombs for every upload type (with the
server's memory measured), schemathesis, sqlmap and sslyze, and the log read for live links;
then the crash drill (kill -9 of the server, then of its PostgreSQL, under write load).

    python scripts/hostile/run.py [--profile short|long] [--only NAME ...]

Exits 1 if anything failed, listing every failure."""

import argparse
import sys
import time

import bombs
import crash
import scanners
from server import Server

CHECKS = {
    "bombs": bombs.check,
    "logs": scanners.log_has_no_live_links,
    "sslyze": scanners.sslyze,
    "sqlmap": None,
    # Last on the shared server: its fuzzing changes data and may lock or suspend demo accounts.
    "schemathesis": None,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", choices=["short", "long"], default="short")
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    wanted = args.only or list(CHECKS) + ["crash"]
    failures = []
    shared = [name for name in CHECKS if name in wanted]
    if shared:
        server = Server().start()
        try:
            for name in shared:
                started = time.time()
                print(f"\n--- {name}", flush=True)
                profiled = {"schemathesis": scanners.schemathesis, "sqlmap": scanners.sqlmap}
                check = CHECKS[name] or (lambda s, n=name: profiled[n](s, args.profile))
                found = check(server)
                failures += [f"{name}: {f}" for f in found]
                print(f"--- {name}: {'ok' if not found else 'FAILED'} in {time.time() - started:.0f} s", flush=True)
        finally:
            server.stop()
    if "crash" in wanted:
        print("\n--- crash", flush=True)
        found = crash.drill()
        failures += [f"crash: {f}" for f in found]
        print(f"--- crash: {'ok' if not found else 'FAILED'}", flush=True)
    if failures:
        print("\nHostile suite FAILED:\n" + "\n".join(failures), flush=True)
        sys.exit(1)
    print("\nHostile suite passed.", flush=True)


if __name__ == "__main__":
    main()
