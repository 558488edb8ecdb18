#!/usr/bin/env python3
"""The lock benchmark behind `make bench-locks` (issue 9): how long a writer stalls while a migration runs.

On a throwaway PostgreSQL on 127.0.0.1 (Tests/integration/pgserver.py), a history of one migration
written by `vejamigrate new --spec` creates `customers` (1,000 rows) and `orders` (--rows rows,
default 1,000,000; one row in ten has a NULL `note`). Then, for each change below, the real CLI
writes the migration twice, lock-safe (the default) and with "safe": false, and real Alembic
(`alembic upgrade head`, its own process) applies it while a writer thread (its own connection,
autocommit) inserts and updates single rows of `orders` at a steady rate and times every statement.
A monitor connection polls pg_stat_activity to see what the writer waits behind. After each run
`alembic downgrade` puts the schema back and the table is vacuumed (and its NULLs restored).

Per change and mode it reports the writer's longest stall (maximum statement latency) and p99 over
the migration's window, and the migration's duration (the whole `alembic upgrade` process, Python
start-up included: the empty-migration control row shows that part). Medians of --runs runs.
Prints plain and Markdown tables and writes BENCH_DIR/locks.md and locks.json (default .tmp/bench).
With --variants DIR, each DIR/KEY.py (a hand-written migration) runs as a third mode beside
safe and unsafe (scripts/bench_locks_variants: the fix suggested in docs/performance.md).

Nothing here fails on a slow number: the 200 ms target is reported, never asserted.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench import fmt_ms, table  # scripts/bench.py: one way to print figures and tables

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Tests" / "integration"))
sys.dont_write_bytecode = True

import psycopg  # noqa: E402
from alembic_run import ENV_PY  # noqa: E402
from pgserver import PostgresServer  # noqa: E402

TARGET_MS = 200.0
DB = "bench"
WRITER_APP = "bench-writer"
MIGRATION_APP = "bench-migration"
STATUSES = ["NEW", "PAID", "SHIPPED", "CANCELLED"]

BASE_SPEC = {
    "description": "create customers and orders",
    "operations": [
        {
            "create_table": {
                "name": "customers",
                "columns": [
                    {"name": "id", "type": "bigint", "primary_key": True},
                    {"name": "name", "type": "text", "nullable": False},
                ],
            }
        },
        {
            "create_table": {
                "name": "orders",
                "columns": [
                    {"name": "id", "type": "bigint", "primary_key": True},
                    # Indexed already, so add_foreign_key below adds the constraint alone.
                    {"name": "customer_id", "type": "bigint", "nullable": False, "index": True},
                    {"name": "status", "type": "string", "length": 16, "nullable": False,
                     "enum": STATUSES, "default": "NEW"},
                    {"name": "amount", "type": "numeric", "precision": 12, "scale": 2, "nullable": False},
                    {"name": "note", "type": "text"},
                    {"name": "created_at", "type": "datetime", "nullable": False, "default": "now"},
                ],
            }
        },
    ],
}

# (key, label, spec operation): one change of each kind issue 9 names, on the big table.
CHANGES = [
    ("index", "index: `create_index` orders(created_at)",
     {"create_index": {"table": "orders", "columns": ["created_at"]}}),
    ("foreign_key", "FK: `add_foreign_key` orders.customer_id → customers",
     {"add_foreign_key": {"table": "orders", "column": "customer_id", "references": {"table": "customers"}}}),
    ("check", "CHECK: `add_check` amount >= 0",
     {"add_check": {"table": "orders", "column": "amount", "expression": "amount >= 0"}}),
    ("not_null", "NOT NULL with backfill: `alter_column` note (10% NULL)",
     {"alter_column": {"table": "orders", "column": "note", "nullable": False, "backfill": ""}}),
    ("column_default", "column with a default: `add_columns` priority integer NOT NULL DEFAULT 0",
     {"add_columns": {"table": "orders", "columns": [
         {"name": "priority", "type": "integer", "nullable": False, "default": 0}]}}),
    ("enum", "enum change: `alter_enum` status + REFUNDED",
     {"alter_enum": {"table": "orders", "column": "status", "values": STATUSES + ["REFUNDED"]}}),
]
CONTROL = ("control", "control: empty migration (`pass`)", None)


def log(text: str) -> None:
    print(f"bench-locks: {text}", file=sys.stderr, flush=True)


# -- the history and the migrations --------------------------------------------------------------


def vejamigrate(vm: str, *args: str) -> str:
    result = subprocess.run([vm, *args], capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
    if result.returncode != 0:
        raise RuntimeError(f"vejamigrate {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result.stdout


def write_project(directory: Path, versions: Path, env_dir: Path, url: str) -> Path:
    """An alembic.ini for `versions`, sharing one script location (the integration suite's env.py)."""
    def esc(text: str) -> str:
        return text.replace("%", "%%")

    ini = directory / "alembic.ini"
    ini.write_text(
        "[alembic]\n"
        f"script_location = {esc(str(env_dir))}\n"
        f"version_locations = {esc(str(versions))}\n"
        "path_separator = os\n"
        f"sqlalchemy.url = {esc(url)}\n"
    )
    return ini


def prepare_migrations(vm: str, workdir: Path, url: str, changes: list, variants: Path | None) -> tuple[str, Path, dict]:
    """The base history, then one project per (change, mode), each a copy of the base plus the
    migration the CLI writes (or, for the mode "variant", VARIANTS/KEY.py). Returns the base
    revision, the base project's ini and the projects."""
    root = workdir / "locks"
    if root.exists():
        shutil.rmtree(root)
    env_dir = root / "env"
    env_dir.mkdir(parents=True)
    (env_dir / "env.py").write_text(ENV_PY)
    base_versions = root / "base" / "versions"
    base_versions.mkdir(parents=True)
    (root / "base.json").write_text(json.dumps(BASE_SPEC, indent=2))
    vejamigrate(vm, "new", "--spec", str(root / "base.json"), "--versions-dir", str(base_versions))
    base_rev = json.loads(vejamigrate(vm, "status", "--json", "--versions-dir", str(base_versions)))["heads"][0]
    base_ini = write_project(root / "base", base_versions, env_dir, url)

    projects = {}
    for key, _label, operation in changes:
        modes = ("none",) if operation is None else ("safe", "unsafe")
        if operation is not None and variants is not None and (variants / f"{key}.py").exists():
            modes += ("variant",)
        for mode in modes:
            project = root / f"{key}-{mode}"
            versions = project / "versions"
            shutil.copytree(base_versions, versions)
            if mode == "variant":
                text = (variants / f"{key}.py").read_text().replace("__BASE__", base_rev)
                (versions / f"bench_variant_{key}.py").write_text(text)
            elif operation is None:
                vejamigrate(vm, "new", "--versions-dir", str(versions), f"bench {key}")
            else:
                spec = {"description": f"bench {key} {mode}", **operation}
                if mode == "unsafe":
                    spec["safe"] = False
                spec_file = project / "spec.json"
                spec_file.write_text(json.dumps(spec, indent=2))
                vejamigrate(vm, "new", "--spec", str(spec_file), "--versions-dir", str(versions))
            written = sorted(set(p.name for p in versions.glob("*.py")) - set(p.name for p in base_versions.glob("*.py")))
            projects[(key, mode)] = {"ini": write_project(project, versions, env_dir, url),
                                     "file": versions / written[0]}
    return base_rev, base_ini, projects


def alembic(alembic_bin: str, ini: Path, *args: str, check: bool = True) -> tuple[float, str | None]:
    """Runs the Alembic CLI; returns its wall time in ms and, with check=False, the error it
    ended on (None when it succeeded)."""
    env = dict(os.environ)
    start = time.perf_counter()
    result = subprocess.run([alembic_bin, "-c", str(ini), *args], capture_output=True, text=True, env=env, timeout=900)
    elapsed = (time.perf_counter() - start) * 1000
    if result.returncode == 0:
        return elapsed, None
    if check:
        raise RuntimeError(f"alembic {' '.join(args)} ({ini}) exited {result.returncode}:\n{result.stderr[-3000:]}")
    # The exception's line, e.g. "sqlalchemy.exc.OperationalError: (psycopg.errors.DeadlockDetected) deadlock detected"
    lines = [line for line in result.stderr.splitlines()
             if re.match(r"[A-Za-z_][\w.]*: ", line) and not line.startswith(("DETAIL", "HINT"))]
    return elapsed, (lines[-1] if lines else f"exit {result.returncode}")


# -- the data ------------------------------------------------------------------------------------


def load(conn: psycopg.Connection, rows: int) -> None:
    conn.execute("INSERT INTO customers (id, name) SELECT g, 'customer ' || g FROM generate_series(1, 1000) g")
    conn.execute(
        f"""
        INSERT INTO orders (id, customer_id, status, amount, note, created_at)
        SELECT g, 1 + g % 1000, (ARRAY['NEW','PAID','SHIPPED','CANCELLED'])[1 + g % 4], (g % 100000) / 100.0,
               CASE WHEN g % 10 = 0 THEN NULL ELSE 'note ' || g END,
               timestamptz '2026-01-01' + g * interval '1 second'
        FROM generate_series(1, {int(rows)}) g
        """
    )
    conn.execute(f"SELECT setval(pg_get_serial_sequence('orders', 'id'), {int(rows)})")
    # Autovacuum's SHARE UPDATE EXCLUSIVE would make the migration's lock requests wait up to a
    # deadlock_timeout at random (a real hazard, but not the migration's own); we vacuum between runs.
    conn.execute("ALTER TABLE orders SET (autovacuum_enabled = false)")
    conn.execute("VACUUM ANALYZE orders")
    conn.execute("VACUUM ANALYZE customers")
    conn.execute("CHECKPOINT")


def reset(conn: psycopg.Connection, key: str) -> None:
    """After the downgrade: the NULLs the backfill filled come back (downgrades keep data), then VACUUM."""
    if key == "not_null":
        conn.execute("UPDATE orders SET note = NULL WHERE id % 10 = 0 AND note IS NOT NULL")
    conn.execute("VACUUM ANALYZE orders")


# -- the writer and the monitor ------------------------------------------------------------------


class Writer(threading.Thread):
    """Its own autocommit connection; alternately INSERTs one row and UPDATEs one random row of
    orders, at most `rate` statements a second, timing each. Stops on stop() or after max_seconds."""

    def __init__(self, server: PostgresServer, rows: int, rate: float, max_seconds: float, seed: int) -> None:
        super().__init__(name="writer", daemon=True)
        self.server, self.rows, self.gap, self.max_seconds = server, rows, 1.0 / rate, max_seconds
        self.random = random.Random(seed)
        self.samples: list[tuple[float, float]] = []  # (start, latency in s)
        self.errors: list[str] = []
        self.ready = threading.Event()
        self._halt = threading.Event()
        self.pid = 0
        self.failure: BaseException | None = None

    def stop(self) -> None:
        self._halt.set()

    def run(self) -> None:
        try:
            with psycopg.connect(host="127.0.0.1", port=self.server.port, user="postgres", dbname=DB,
                                 autocommit=True, application_name=WRITER_APP) as conn:
                conn.execute("SET statement_timeout = '120s'")
                self.pid = conn.info.backend_pid
                self.ready.set()
                deadline = time.monotonic() + self.max_seconds
                i = 0
                while not self._halt.is_set() and time.monotonic() < deadline:
                    rnd = self.random
                    if i % 2 == 0:
                        sql = ("INSERT INTO orders (customer_id, status, amount, note) VALUES (%s, %s, %s, 'w')",
                               (rnd.randint(1, 1000), rnd.choice(("NEW", "PAID")), rnd.randint(1, 99999) / 100))
                    else:
                        sql = ("UPDATE orders SET amount = amount + 1, status = 'PAID' WHERE id = %s",
                               (rnd.randint(1, self.rows),))
                    start = time.perf_counter()
                    try:
                        conn.execute(*sql)
                    except psycopg.Error as error:
                        self.errors.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
                    latency = time.perf_counter() - start
                    self.samples.append((start, latency))
                    i += 1
                    if latency < self.gap:
                        time.sleep(self.gap - latency)
        except BaseException as error:  # reported by the main thread
            self.failure = error
            self.ready.set()


class Monitor(threading.Thread):
    """Polls pg_stat_activity: while the writer or the migration waits on a lock, which statement
    of which session holds it up."""

    QUERY = """
        SELECT a.application_name, a.wait_event,
               (SELECT string_agg(coalesce(nullif(b.application_name, ''), 'pid ' || b.pid) || ', running '
                                  || left(regexp_replace(b.query, '\\s+', ' ', 'g'), 160), ' | ')
                FROM pg_stat_activity b WHERE b.pid = ANY(pg_blocking_pids(a.pid)))
        FROM pg_stat_activity a
        WHERE a.application_name IN (%s, %s) AND a.wait_event_type = 'Lock'
    """

    def __init__(self, server: PostgresServer, interval: float) -> None:
        super().__init__(name="monitor", daemon=True)
        self.server, self.interval = server, interval
        self.samples: list[tuple[float, str, str, str]] = []  # (time, who waits, lock, behind what)
        self._halt = threading.Event()

    def stop(self) -> None:
        self._halt.set()

    def run(self) -> None:
        try:
            with psycopg.connect(host="127.0.0.1", port=self.server.port, user="postgres", dbname=DB,
                                 autocommit=True, application_name="bench-monitor") as conn:
                conn.execute("SET statement_timeout = '5s'")
                while not self._halt.is_set():
                    now = time.perf_counter()
                    for app, lock, blockers in conn.execute(self.QUERY, (WRITER_APP, MIGRATION_APP)).fetchall():
                        self.samples.append((now, app, lock, blockers or "?"))
                    self._halt.wait(self.interval)
        except psycopg.Error:
            pass  # diagnostics only


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def one_run(server, args, alembic_bin, project, base_rev, key, mode, seed) -> dict:
    writer = Writer(server, args.rows, args.rate, args.writer_max_seconds, seed)
    monitor = Monitor(server, args.poll_ms / 1000)
    writer.start()
    writer.ready.wait(30)
    if writer.failure:
        raise RuntimeError(f"writer could not start: {writer.failure}")
    monitor.start()
    try:
        time.sleep(args.warmup)
        t0 = time.perf_counter()
        # A deadlock (the unsafe NOT NULL against the writer's UPDATEs) may end the migration
        # rather than the writer: recorded, not fatal.
        duration, migration_error = alembic(alembic_bin, project["ini"], "upgrade", "head", check=False)
        t1 = time.perf_counter()
        time.sleep(args.tail)
    finally:
        writer.stop()
        monitor.stop()
        writer.join(60)
        monitor.join(10)
    if writer.failure:
        raise RuntimeError(f"writer failed: {writer.failure}")
    during = [lat * 1000 for start, lat in writer.samples if start < t1 and start + lat > t0]
    before = [lat * 1000 for start, lat in writer.samples if start + lat <= t0]
    worst_start, worst_lat = max(((s, lat) for s, lat in writer.samples if s < t1 and s + lat > t0),
                                 key=lambda x: x[1], default=(t0, 0.0))
    waits: dict[str, float] = {}
    for when, app, lock, blockers in monitor.samples:
        if app == WRITER_APP and worst_start <= when <= worst_start + worst_lat:
            label = f"{lock} lock, held by {blockers}"
            waits[label] = waits.get(label, 0.0) + args.poll_ms
    migration_waits: dict[str, float] = {}
    for when, app, lock, blockers in monitor.samples:
        if app == MIGRATION_APP:
            label = f"{lock} lock, held by {blockers}"
            migration_waits[label] = migration_waits.get(label, 0.0) + args.poll_ms
    with server.connect(DB) as conn:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    downgrade_ms = None
    if version and version[0] != base_rev:
        downgrade_ms, _ = alembic(alembic_bin, project["ini"], "downgrade", base_rev)
    elif migration_error is None:
        raise RuntimeError(f"{key} ({mode}): alembic upgrade succeeded but the database is still at {base_rev}")
    return {
        "max_ms": max(during) if during else 0.0,
        "p99_ms": percentile(during, 99) if during else 0.0,
        "p50_ms": percentile(during, 50) if during else 0.0,
        "statements": len(during),
        "idle_max_ms": max(before) if before else 0.0,
        "duration_ms": duration,
        "downgrade_ms": downgrade_ms,
        "errors": writer.errors[:5],
        "error_count": len(writer.errors),
        "migration_error": migration_error,
        "longest_stall_waited": sorted(waits.items(), key=lambda kv: -kv[1]),
        "migration_waited": sorted(migration_waits.items(), key=lambda kv: -kv[1]),
    }


# -- report --------------------------------------------------------------------------------------


def summarize(results: dict) -> None:
    for entry in results["changes"]:
        for mode, runs in entry["runs"].items():
            entry.setdefault("median", {})[mode] = {
                k: statistics.median(r[k] for r in runs) for k in ("max_ms", "p99_ms", "p50_ms", "duration_ms", "idle_max_ms")
            }
            entry["median"][mode]["max_of_max_ms"] = max(r["max_ms"] for r in runs)


def report(results: dict, markdown: bool) -> str:
    parts = [
        f"vejamigrate lock benchmark, {results['date']}: {results['machine']}; {results['postgres']}. "
        f"orders has {results['rows']:,} rows; the writer runs {results['rate']:g} statements/s "
        f"(INSERT and UPDATE alternately, autocommit). Duration is the `alembic upgrade` process, start-up "
        f"included. Medians of {results['runs']} runs; load average "
        f"{results['load'][0][0]:.2f} at start, {results['load'][1][0]:.2f} at end; {results['elapsed_s']:.0f} s in all."
    ]
    has_variant = any("variant" in e["median"] for e in results["changes"])
    headers = ["change", "safe: longest stall", "safe: p99", "safe: duration",
               "unsafe: longest stall", "unsafe: p99", "unsafe: duration"]
    if has_variant:
        headers += ["variant: longest stall", "variant: p99", "variant: duration"]
    headers += ["safe < 200 ms"]
    rows = []
    for entry in results["changes"]:
        label = entry["label"] if markdown else entry["label"].replace("`", "")
        m = entry["median"]
        modes = ["none"] if "none" in m else ["safe", "unsafe"] + (["variant"] if has_variant else [])
        row = [label]
        for mode in modes:
            c = m.get(mode)
            row += [fmt_ms(c["max_ms"]), fmt_ms(c["p99_ms"]), fmt_ms(c["duration_ms"])] if c else ["—", "—", "—"]
        row += [""] * (len(headers) - len(row) - 1)
        row.append("" if "none" in m else "met" if m["safe"]["max_ms"] < TARGET_MS else "MISSED")
        rows.append(row)
    parts.append(table(headers, rows, markdown))

    # What the monitor saw: the writer's lock wait during its longest stall, the migration's own
    # lock waits, and the writer's failed statements (all runs).
    wrows = []
    for entry in results["changes"]:
        for mode, runs in entry["runs"].items():
            if mode == "none":
                continue
            writer_seen: dict[str, float] = {}
            migration_seen: dict[str, float] = {}
            for r in runs:
                for label, ms in r["longest_stall_waited"]:
                    writer_seen[label] = writer_seen.get(label, 0.0) + ms
                for label, ms in r["migration_waited"]:
                    migration_seen[label] = migration_seen.get(label, 0.0) + ms
            writer_top = max(writer_seen.items(), key=lambda kv: kv[1])[0] if writer_seen else "no lock wait seen"
            migration_top = (f"{max(migration_seen.items(), key=lambda kv: kv[1])[0]} "
                             f"(~{sum(migration_seen.values()) / len(runs):,.0f} ms a run)") if migration_seen else "—"
            errors = sorted({e for r in runs for e in r["errors"]})
            failed = f"{sum(r['error_count'] for r in runs)}: {'; '.join(errors)}" if errors else "0"
            migration_errors = [r["migration_error"] for r in runs if r.get("migration_error")]
            if migration_errors:
                failed += (f"; the migration failed in {len(migration_errors)} of {len(runs)} runs: "
                           + "; ".join(sorted(set(e.split(") ", 1)[-1] for e in migration_errors))))
            cells = [f"{entry['key']} ({mode})", fmt_ms(entry["median"][mode]["max_ms"]), writer_top, migration_top, failed]
            if markdown:
                cells = [c.replace("|", "\\|") for c in cells]
                cells[0] = f"`{entry['key']}` ({mode})"
            wrows.append(cells)
    parts.append(table(["change (mode)", "longest stall", "the writer waited on (its longest stall)",
                        "the migration waited on", "failed (writer statements; migration)"], wrows, markdown, text=(0, 2, 3, 4)))
    errors = sum(r["error_count"] for e in results["changes"] for runs in e["runs"].values() for r in runs)
    parts.append(f"Writer statements that failed: {errors}.")
    return "\n\n".join(parts)


def machine_description(alembic_bin: str) -> str:
    cpu = platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    version = subprocess.run([alembic_bin, "--version"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores, {cpu}; Linux {platform.release()}; {version}; Python {platform.python_version()}"


# -- main ----------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=str(ROOT / ".build" / "release" / "vejamigrate"), help="the vejamigrate binary")
    ap.add_argument("--alembic", default=str(ROOT / ".venv" / "bin" / "alembic"))
    ap.add_argument("--rows", type=int, default=int(os.environ.get("BENCH_LOCK_ROWS", "1000000")))
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_LOCK_RUNS", "3")))
    ap.add_argument("--rate", type=float, default=500.0, help="writer statements per second (default 500)")
    ap.add_argument("--only", default=os.environ.get("BENCH_LOCK_ONLY", ""),
                    help="comma-separated change keys: " + ",".join(k for k, _, _ in CHANGES))
    ap.add_argument("--warmup", type=float, default=0.5, help="seconds the writer runs before the migration")
    ap.add_argument("--tail", type=float, default=0.3, help="seconds it runs after")
    ap.add_argument("--poll-ms", type=float, default=20.0, help="monitor interval")
    ap.add_argument("--writer-max-seconds", type=float, default=600.0, help="the writer stops by itself after this")
    ap.add_argument("--variants", default=os.environ.get("BENCH_LOCK_VARIANTS") or None,
                    help="a folder of hand-written migrations KEY.py, run as a third mode beside safe and unsafe "
                         "(scripts/bench_locks_variants: the suggested fix)")
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--workdir", default=os.environ.get("BENCH_DIR", str(ROOT / ".tmp" / "bench")))
    args = ap.parse_args()

    for path, hint in ((args.bin, "make release"), (args.alembic, "make venv")):
        if not os.access(path, os.X_OK):
            log(f"{path} is missing: {hint}")
            return 2
    only = {k for k in args.only.split(",") if k}
    unknown = only - {k for k, _, _ in CHANGES}
    if unknown:
        log(f"unknown change(s) {', '.join(sorted(unknown))}; known: {', '.join(k for k, _, _ in CHANGES)}")
        return 2
    changes = [CONTROL] + [c for c in CHANGES if not only or c[0] in only]
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    # SIGTERM and SIGHUP unwind like Ctrl-C, so the server is always stopped and removed.
    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)

    started = datetime.datetime.now()
    clock = time.monotonic()
    load_start = os.getloadavg()
    server = PostgresServer()
    try:
        log(f"starting PostgreSQL on 127.0.0.1 ({server.bin})")
        server.start()
        with server.connect() as conn:
            # Fewer checkpoints in the middle of a run; reloadable, so no restart.
            conn.execute("ALTER SYSTEM SET max_wal_size = '4GB'")
            conn.execute("SELECT pg_reload_conf()")
            conn.execute(f"CREATE DATABASE {DB}")
            pg_version = conn.execute("SHOW server_version").fetchone()[0]
        url = server.url(DB) + f"?application_name={MIGRATION_APP}"
        log("writing the migrations with " + args.bin)
        base_rev, base_ini, projects = prepare_migrations(args.bin, workdir, url, changes,
                                                        Path(args.variants) if args.variants else None)
        alembic(args.alembic, base_ini, "upgrade", "head")  # the base history
        log(f"loading {args.rows:,} rows into orders")
        load_start_t = time.perf_counter()
        with server.connect(DB) as conn:
            load(conn, args.rows)
        log(f"loaded in {time.perf_counter() - load_start_t:.1f} s")

        results = {"rows": args.rows, "runs": args.runs, "rate": args.rate, "postgres": f"PostgreSQL {pg_version}",
                   "changes": [{"key": k, "label": label, "runs": {}} for k, label, _ in changes]}
        entries = {e["key"]: e for e in results["changes"]}
        seed = args.seed
        for run in range(args.runs):
            for key, _label, operation in changes:
                modes = [m for k, m in projects if k == key]
                if run % 2:
                    modes.reverse()  # alternate which mode goes first
                for mode in modes:
                    seed += 1
                    r = one_run(server, args, args.alembic, projects[(key, mode)], base_rev, key, mode, seed)
                    entries[key]["runs"].setdefault(mode, []).append(r)
                    log(f"run {run + 1}/{args.runs} {key:14} {mode:6}: longest stall {fmt_ms(r['max_ms']):>9}, "
                        f"p99 {fmt_ms(r['p99_ms']):>9}, migration {fmt_ms(r['duration_ms']):>9}"
                        + (f", {r['error_count']} writer errors" if r["error_count"] else "")
                        + (f", migration failed: {r['migration_error']}" if r["migration_error"] else ""))
                    with server.connect(DB) as conn:
                        reset(conn, key)
        for entry in results["changes"]:
            for mode in entry["runs"]:
                entry.setdefault("migration", {})[mode] = projects[(entry["key"], mode)]["file"].read_text()
    finally:
        log("stopping and removing the server")
        server.stop()

    summarize(results)
    results["date"] = started.strftime("%Y-%m-%d %H:%M")
    results["load"] = [load_start, os.getloadavg()]
    results["elapsed_s"] = time.monotonic() - clock
    results["machine"] = machine_description(args.alembic)
    text, md = report(results, False), report(results, True)
    print(text)
    print()
    print("Markdown (for docs/performance.md):")
    print()
    print(md)
    (workdir / "locks.md").write_text(md + "\n")
    (workdir / "locks.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    log(f"wrote {workdir / 'locks.md'} and {workdir / 'locks.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
