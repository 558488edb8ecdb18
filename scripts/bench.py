#!/usr/bin/env python3
"""The benchmark behind `make bench` (scripts/bench.sh builds and installs tools, then runs this).

Generates synthetic histories (scripts/gen_history.py) of 1,000 and 10,000 migrations, then
measures side by side, as medians of several runs:

  cat DIR/*.py > /dev/null                 the floor: reading every byte once
  vejamigrate status --json                the header read + revision graph
  vejamigrate new --dry-run "x"            the same plus planning and rendering one file
  vejamigrate schema --json                when that subcommand exists (the full read),
  vejamigrate schema                       and its text form (the read without the JSON encoder)
  vejamigrate check --format json          the whole review: every file with its downgrade, one
                                           replay, every rule (exit 1 on a CRITICAL is no failure)
  alembic heads                            Alembic on the same history, minimal env.py,
                                           bytecode caches warm
  vejamigrate-bench first-frame DIR        the wizard's start to first frame (whole process)

and peak memory (maximum resident set) of each, plus in-process wizard and read timings
from vejamigrate-bench. Prints a plain table and the same as Markdown for docs/performance.md;
writes both, with the raw numbers, to the work directory.

Timings use hyperfine when it is installed (shell start-up subtracted), else a small
Python timer. Nothing here fails on a slow number: targets are reported, never asserted.
"""

from __future__ import annotations

import argparse
import datetime
import glob
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT / "scripts" / "gen_history.py"

ALEMBIC_INI = """\
# Minimal Alembic configuration for the benchmark: only the script location.
[alembic]
script_location = %(here)s/migrations
"""

ENV_PY = '''\
"""Minimal env.py for the benchmark: offline mode, no database, no models.

`alembic heads` never runs this file (it only reads the scripts), but Alembic expects one.
"""

from alembic import context

context.configure(url="sqlite://", target_metadata=None, literal_binds=True)
with context.begin_transaction():
    context.run_migrations()
'''


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- histories ----------------------------------------------------------------------------------


def prepare_history(workdir: Path, n: int, seed: int) -> Path:
    """An Alembic project with N generated migrations; regenerated only when N, the seed or
    the generator changed. Returns the project directory (versions under migrations/versions)."""
    project = workdir / f"h{n}"
    versions = project / "migrations" / "versions"
    key = hashlib.sha256(GEN.read_bytes() + f"{n} {seed}".encode()).hexdigest()
    stamp = project / ".generated"
    if not (stamp.exists() and stamp.read_text() == key and len(glob.glob(str(versions / "*.py"))) == n):
        log(f"bench: generating {n:,} migrations (seed {seed}) in {versions}")
        if project.exists():
            shutil.rmtree(project)
        versions.mkdir(parents=True)
        subprocess.run([sys.executable, str(GEN), str(n), str(seed), str(versions)], check=True)
        stamp.write_text(key)
    # vejamigrate's history cache stores only files older than 3 s (docs/schema.md): wait until
    # a fresh history has settled, so the warm-up run fills the cache as a user's second run would.
    newest = max(os.stat(f).st_ctime for f in glob.glob(str(versions / "*.py")))
    if time.time() - newest < 3.5:
        time.sleep(3.5 - (time.time() - newest))
    (project / "alembic.ini").write_text(ALEMBIC_INI)
    (project / "migrations" / "env.py").write_text(ENV_PY)
    return project


# -- timing -------------------------------------------------------------------------------------


class Command:
    def __init__(self, name: str, argv: list[str] | None = None, shell: str | None = None, env: dict | None = None):
        self.name = name
        self.argv = argv
        self.shell = shell
        self.env = env

    def shell_text(self) -> str:
        if self.shell is not None:
            return self.shell
        return " ".join(quote(a) for a in self.argv) + " >/dev/null"


def quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


def time_hyperfine(commands: list[Command], runs: int, warmup: int) -> dict[str, list[float]]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    argv = ["hyperfine", "--style", "basic", "--runs", str(runs), "--warmup", str(warmup), "--export-json", out]
    for c in commands:
        argv += ["--command-name", c.name, c.shell_text()]
    subprocess.run(argv, check=True, stdout=sys.stderr)
    data = json.loads(Path(out).read_text())
    os.unlink(out)
    return {r["command"]: [t * 1000 for t in r["times"]] for r in data["results"]}


def time_python(commands: list[Command], runs: int, warmup: int) -> dict[str, list[float]]:
    """The fallback: rounds interleave the commands, so a burst of load hits all of them alike."""
    results: dict[str, list[float]] = {c.name: [] for c in commands}
    for r in range(warmup + runs):
        for c in commands:
            start = time.perf_counter()
            if c.shell is not None:
                subprocess.run(c.shell, shell=True, check=True)
            else:
                subprocess.run(c.argv, stdout=subprocess.DEVNULL, check=True, env=c.env)
            elapsed = (time.perf_counter() - start) * 1000
            if r >= warmup:
                results[c.name].append(elapsed)
    return results


def peak_rss_kb(argv: list[str], env: dict | None, repeats: int) -> float:
    """Median maximum resident set size (KB) of `argv`, with /usr/bin/time -f %M when present,
    else from wait4's rusage (the same number)."""
    values = []
    for _ in range(repeats):
        if shutil.which("time") or os.path.exists("/usr/bin/time"):
            with tempfile.NamedTemporaryFile(mode="r", suffix=".txt") as f:
                subprocess.run(
                    ["/usr/bin/time", "-o", f.name, "-f", "%M"] + argv,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False,
                )
                values.append(float(f.read().strip().splitlines()[-1]))
        else:
            p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            _, status, usage = os.wait4(p.pid, 0)
            values.append(float(usage.ru_maxrss))
    return statistics.median(values)


def run_json(argv: list[str], env: dict | None = None) -> dict:
    out = subprocess.run(argv, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


# -- formatting ---------------------------------------------------------------------------------


def fmt_ms(v: float | None) -> str:
    if v is None:
        return "—"
    if v >= 100:
        return f"{v:,.0f} ms"
    if v >= 10:
        return f"{v:.1f} ms"
    return f"{v:.2f} ms"


def fmt_mb(kb: float | None) -> str:
    return "—" if kb is None else f"{kb / 1024:.1f} MB"


def fmt_x(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}x" if v < 100 else f"{v:.0f}x"


def table(headers: list[str], rows: list[list[str]], markdown: bool, text: tuple = (0,)) -> str:
    """Columns in `text` are left-aligned, the rest (figures) right-aligned."""
    if markdown:
        rule = "|" + "|".join(" --- " if i in text else " ---: " for i in range(len(headers))) + "|"
        return "\n".join(["| " + " | ".join(headers) + " |", rule] + ["| " + " | ".join(r) + " |" for r in rows])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(c.ljust(widths[i]) if i in text else c.rjust(widths[i]) for i, c in enumerate(cells)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])

# -- main ---------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=str(ROOT / ".build" / "release"), help="folder with the release binaries")
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "9")))
    ap.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "1000,10000"))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("BENCH_SEED", "42")))
    ap.add_argument("--workdir", default=os.environ.get("BENCH_DIR", str(ROOT / ".tmp" / "bench")))
    ap.add_argument("--alembic", default=str(ROOT / ".venv" / "bin" / "alembic"))
    ap.add_argument("--timer", choices=["auto", "hyperfine", "python"], default=os.environ.get("BENCH_TIMER", "auto"))
    args = ap.parse_args()

    bin_dir = Path(args.bin)
    vm = str(bin_dir / "vejamigrate")
    vmbench = str(bin_dir / "vejamigrate-bench")
    for b in (vm, vmbench):
        if not os.access(b, os.X_OK):
            log(f"bench: {b} is missing; build first: swift build -c release")
            return 2
    if not os.access(args.alembic, os.X_OK):
        log(f"bench: {args.alembic} is missing; run `make venv`")
        return 2
    use_hyperfine = args.timer == "hyperfine" or (args.timer == "auto" and shutil.which("hyperfine"))
    timer = time_hyperfine if use_hyperfine else time_python
    sizes = [int(s) for s in args.sizes.split(",") if s]
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    runs = args.runs

    # Alembic runs with bytecode caches allowed: an environment with PYTHONDONTWRITEBYTECODE=1
    # (this one sets it) would make every run compile every migration again, the "cold" figure.
    # Unset for the whole run: nothing else measured here is Python.
    results_note = "PYTHONDONTWRITEBYTECODE was set and is unset for the run" if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) else ""
    alembic_env = dict(os.environ)
    # The history cache in a folder of the benchmark's own, emptied for the run.
    cache_dir = workdir / "cache"
    shutil.rmtree(cache_dir, ignore_errors=True)
    os.environ["VEJAMIGRATE_CACHE_DIR"] = str(cache_dir)
    os.environ.pop("VEJAMIGRATE_NO_CACHE", None)
    # `schema` is measured once it exists: the root help lists it among the subcommands.
    root_help = subprocess.run([vm, "--help"], capture_output=True, text=True).stdout
    has_schema = any(line.split()[:1] == ["schema"] for line in root_help.split("SUBCOMMANDS:")[-1].splitlines())

    load_start = os.getloadavg()
    started = datetime.datetime.now()
    results: dict = {"runs": runs, "sizes": {}, "timer": "hyperfine" if use_hyperfine else "python", "note": results_note}
    for n in sizes:
        project = prepare_history(workdir, n, args.seed)
        versions = project / "migrations" / "versions"
        ini = str(project / "alembic.ini")
        files = sorted(glob.glob(str(versions / "*.py")))

        # Warm: Alembic's bytecode caches, the page cache, and a check that both tools agree.
        log(f"bench: {n:,} migrations: warming caches")
        heads = subprocess.run([args.alembic, "-c", ini, "heads"], env=alembic_env, capture_output=True, text=True, check=True).stdout
        status = json.loads(subprocess.run([vm, "status", "--json", "--versions-dir", str(versions)], capture_output=True, text=True, check=True).stdout)
        alembic_head = heads.split()[0] if heads.split() else None
        if status["heads"] != [alembic_head] or status["migrations"] != n:
            log(f"bench: warning: vejamigrate says heads {status['heads']} ({status['migrations']} files), alembic says {alembic_head}")

        if has_schema:
            probe = subprocess.run([vm, "schema", "--json", "--versions-dir", str(versions)], capture_output=True, text=True)
            if probe.returncode != 0:
                log(f"bench: `vejamigrate schema --json` exited {probe.returncode}; not measured: {probe.stderr.strip()[:300]}")
        commands = [
            Command("cat", shell=f"cat {quote(str(versions))}/*.py > /dev/null"),
            Command("status", [vm, "status", "--json", "--versions-dir", str(versions)]),
            Command("new", [vm, "new", "--dry-run", "--versions-dir", str(versions), "x"]),
        ]
        if has_schema and probe.returncode == 0:
            commands.append(Command("schema", [vm, "schema", "--json", "--versions-dir", str(versions)]))
            commands.append(Command("schema-text", [vm, "schema", "--versions-dir", str(versions)]))
            # Every file read and parsed again: the first run on a history, or after a rebuild.
            commands.append(Command("schema-uncached", ["env", "VEJAMIGRATE_NO_CACHE=1", vm, "schema", "--json", "--versions-dir", str(versions)]))
        # `check` exits 1 when it finds a CRITICAL: that is its answer, not a failed run.
        check_argv = [vm, "check", "--format", "json", "--versions-dir", str(versions)]
        commands.append(Command("check", check_argv, shell=" ".join(map(quote, check_argv)) + " > /dev/null || [ $? -eq 1 ]"))
        commands.append(Command("wizard-first-frame", [vmbench, "first-frame", str(versions)]))
        commands.append(Command("alembic", [args.alembic, "-c", ini, "heads"], env=alembic_env))
        log(f"bench: {n:,} migrations: timing {', '.join(c.name for c in commands)} ({runs} runs each)")
        times = timer(commands, runs, warmup=1)
        log(f"bench: {n:,} migrations: peak memory")
        rss = {}
        for c in commands:
            argv = ["cat"] + files if c.name == "cat" else c.argv
            rss[c.name] = peak_rss_kb(argv, c.env, repeats=3)

        # The wizard in process: spawn to first frame (exec and loading included) and its parts.
        frames = []
        for _ in range(runs):
            env = dict(os.environ, VEJAMIGRATE_BENCH_SPAWN_NS=str(time.monotonic_ns()))
            frames.append(run_json([vmbench, "first-frame", str(versions)], env=env))
        frame = {k: statistics.median(f[k] for f in frames) for k in frames[0] if isinstance(frames[0][k], float)}
        read = run_json([vmbench, "read", str(versions), "--runs", str(runs)])
        total_bytes = sum(os.path.getsize(f) for f in files)
        results["sizes"][n] = {
            "bytes": total_bytes,
            "median_ms": {k: statistics.median(v) for k, v in times.items()},
            "times_ms": times,
            "peak_rss_kb": rss,
            "first_frame": frame,
            "read": read,
        }
    log("bench: keystrokes on a 40-column table")
    results["keystrokes"] = run_json([vmbench, "keystrokes", "--columns", "40", "--keys", "400"])
    load_end = os.getloadavg()

    # -- report ---------------------------------------------------------------------------------
    machine = machine_description()
    results["machine"] = machine
    results["date"] = started.strftime("%Y-%m-%d %H:%M")
    results["load"] = [load_start, load_end]
    out = []
    for markdown in (False, True):
        out.append(report(results, sizes, markdown))
    text, md = out
    print(text)
    print()
    print("Markdown (for docs/performance.md):")
    print()
    print(md)
    (workdir / "results.md").write_text(md + "\n")
    (workdir / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    log(f"bench: wrote {workdir / 'results.md'} and {workdir / 'results.json'}")
    return 0


def machine_description() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    swift = ""
    try:
        swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
        swift = swift.replace("Swift version ", "Swift ").split(" (")[0]
    except (OSError, IndexError):
        pass
    alembic = ""
    try:
        alembic = subprocess.run([str(ROOT / ".venv" / "bin" / "alembic"), "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}; Linux {platform.release()}; {swift}; {alembic}; Python {platform.python_version()}"


def report(results: dict, sizes: list[int], markdown: bool) -> str:
    runs = results["runs"]
    parts = []
    head = (
        f"vejamigrate benchmark, {results['date']}: {results['machine']}. Medians of {runs} runs "
        f"({results['timer']}; 1 warm-up), page cache and Alembic bytecode caches warm; "
        f"load average {results['load'][0][0]:.2f} at start, {results['load'][1][0]:.2f} at end."
        + (f" ({results['note']}.)" if results.get("note") else "")
    )
    parts.append(head)
    names = [("cat", "`cat DIR/*.py > /dev/null` (floor)"), ("status", "`vejamigrate status --json`"),
             ("new", "`vejamigrate new --dry-run \"x\"`"), ("schema", "`vejamigrate schema --json`"),
             ("schema-text", "`vejamigrate schema` (text)"),
             ("schema-uncached", "`vejamigrate schema --json`, no cache (`VEJAMIGRATE_NO_CACHE=1`)"),
             ("check", "`vejamigrate check --format json`"),
             ("wizard-first-frame", "wizard start to first frame (process)"), ("alembic", "`alembic heads`")]
    headers = ["command"]
    for n in sizes:
        headers += [f"{n:,}: median", f"{n:,}: peak RSS"]
    rows = []
    for key, label in names:
        if not all(key in results["sizes"][n]["median_ms"] for n in sizes):
            continue
        row = [label if markdown else label.replace("`", "")]
        for n in sizes:
            s = results["sizes"][n]
            row += [fmt_ms(s["median_ms"][key]), fmt_mb(s["peak_rss_kb"][key])]
        rows.append(row)
    parts.append(table(headers, rows, markdown))

    def ratio(n, a, b):
        m = results["sizes"][n]["median_ms"]
        return m[a] / m[b] if a in m and b in m and m[b] > 0 else None

    rrows = []
    ratio_names = [("alembic", "status", "alembic heads / status"), ("status", "cat", "status / cat"),
                   ("new", "status", "new --dry-run / status"), ("schema", "status", "schema / status"),
                   ("schema", "cat", "schema / cat"), ("schema-text", "cat", "schema (text) / cat"),
                   ("schema-uncached", "cat", "schema, no cache / cat"), ("check", "cat", "check / cat")]
    for a, b, label in ratio_names:
        if ratio(sizes[0], a, b) is None:
            continue
        rrows.append([label] + [fmt_x(ratio(n, a, b)) for n in sizes])
    parts.append(table(["ratio"] + [f"{n:,}" for n in sizes], rrows, markdown))

    # In process.
    irows = []
    for n in sizes:
        s = results["sizes"][n]
        f, r = s["first_frame"], s["read"]
        irows.append([f"{n:,}", fmt_ms(f.get("spawn_to_frame_ms")), fmt_ms(f["main_to_frame_ms"]),
                      fmt_ms(f.get("history_ready_ms")), fmt_ms(f["load_ms"]),
                      fmt_ms(f["model_ms"]), fmt_ms(f["render_ms"]), f"{r['bytes'] / 1e6:.1f} MB",
                      fmt_ms(r["read_all_bytes_ms"]), fmt_ms(r["read_all_bytes_parallel_ms"]), fmt_ms(r["read_headers_ms"]),
                      fmt_ms(r["graph_ms"]), fmt_ms(r.get("read_history_ms"))])
    parts.append(table(["migrations", "spawn → first frame", "main → first frame", "main → history shown",
                        "locate directory", "model init",
                        "render 120x40", "all bytes", "read all bytes (1 core)", "read all bytes (all cores)",
                        "read headers", "graph", "read schema"], irows, markdown))
    k = results["keystrokes"]
    parts.append(
        f"Keystroke on a {k['columns']}-column table at 120x40 (editing a column name, {k['keystrokes']} keys): "
        f"update {fmt_ms(k['update_median_ms'])} + render {fmt_ms(k['render_median_ms'])} = "
        f"{fmt_ms(k['keystroke_median_ms'])} median (p90 {fmt_ms(k['keystroke_p90_ms'])}, max {fmt_ms(k['keystroke_max_ms'])})."
    )

    # Targets (issue 4), judged on this run.
    t = []
    def add(label, value, ok, shown):
        t.append([label, shown, "met" if ok else "MISSED"] if value is not None else [label, "—", "not measured"])
    small, large = min(sizes), max(sizes)
    r1 = ratio(small, "alembic", "status")
    add(f"status ≥ 20x faster than alembic heads at {small:,}", r1, r1 is not None and r1 >= 20, fmt_x(r1))
    r2 = ratio(large, "alembic", "status")
    add(f"status ≥ 15x faster than alembic heads at {large:,}", r2, r2 is not None and r2 >= 15, fmt_x(r2))
    r3 = ratio(large, "status", "cat")
    add(f"status within 2x of cat at {large:,}", r3, r3 is not None and r3 <= 2, fmt_x(r3))
    r4 = ratio(large, "new", "status")
    add(f"new --dry-run within 2x of status at {large:,}", r4, r4 is not None and r4 <= 2, fmt_x(r4))
    ff = results["sizes"][small]["first_frame"].get("spawn_to_frame_ms")
    add(f"wizard first frame < 50 ms at {small:,} (from spawn)", ff, ff is not None and ff < 50, fmt_ms(ff))
    ks = k["keystroke_median_ms"]
    add("re-render per keystroke < 2 ms", ks, ks < 2, fmt_ms(ks))
    mem = results["sizes"][large]["peak_rss_kb"]["status"]
    add(f"status peak memory < 30 MB at {large:,}", mem, mem < 30 * 1024, fmt_mb(mem))
    # Issue 8: the full schema read, and the wizard at the largest size.
    for form in ("schema", "schema-text"):
        r = ratio(large, form, "cat")
        if r is not None:
            add(f"`{'schema --json' if form == 'schema' else 'schema'}` within 2x of cat at {large:,}", r, r <= 2, fmt_x(r))
    # Issue 10: the whole review.
    rc = ratio(large, "check", "cat")
    add(f"`check` within 3x of cat at {large:,}", rc, rc is not None and rc <= 3, fmt_x(rc))
    smem = results["sizes"][large]["peak_rss_kb"].get("schema")
    add(f"schema --json peak memory < 60 MB at {large:,}", smem, smem is not None and smem < 60 * 1024, fmt_mb(smem) if smem else "—")
    ffl = results["sizes"][large]["first_frame"].get("spawn_to_frame_ms")
    add(f"wizard first frame < 50 ms at {large:,} (from spawn)", ffl, ffl is not None and ffl < 50, fmt_ms(ffl))
    parts.append(table(["target (issues 4, 8 and 10)", "this run", "verdict"], t, markdown))
    return "\n\n".join(parts)


if __name__ == "__main__":
    sys.exit(main())
