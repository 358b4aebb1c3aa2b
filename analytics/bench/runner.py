"""One benchmark run: generate the scale, time every analytics call the pages make, compare with
the pandas reference and the hand-written limit, import a large CSV, render every page in a
browser at S and at the scale, read the server's peak memory, and upload the largest files the Data
page takes in the browser (the largest imports the server itself runs). Targets (issue 8) apply at L.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import time
import tomllib
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from analytics import settings, store
from analytics.bench import browser, calls, generator, import_timing

ARTIFACTS = settings.ROOT / "tests" / "artifacts" / "bench"
TARGETS = {"call_ms": 100.0, "pandas_ratio": 2.0, "limit_ratio": 1.5, "render_ratio": 1.25,
           "import_s": 20.0, "memory_mb": 600.0}


def _once(fn, con: duckdb.DuckDBPyConnection | None) -> tuple[float, float]:
    """Wall and CPU seconds of one run; with a connection, on a cursor of its own, as each page
    run gets in the app."""
    cur = con.cursor() if con is not None else None
    started, cpu = time.perf_counter(), time.process_time()
    fn(cur) if cur is not None else fn()
    wall, used = time.perf_counter() - started, time.process_time() - cpu
    if cur is not None:
        cur.close()
    return wall, used


def _timed(fn, repeats: int, *, fresh_cursor: duckdb.DuckDBPyConnection | None = None) -> dict:
    """Median and best wall time and median CPU time of ``repeats`` runs after one warm-up."""
    _once(fn, fresh_cursor)
    runs = [_once(fn, fresh_cursor) for _ in range(repeats)]
    walls = [w for w, _ in runs]
    return {"ms": 1000 * statistics.median(walls), "best_ms": 1000 * min(walls),
            "cpu_ms": 1000 * statistics.median(c for _, c in runs)}


def _in_turns(fns: list, rounds: int, runs: list[int], con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Median wall time of each function, run in turns (one warm-up each, then round by round, the
    i-th in the first ``runs[i]`` rounds), each run on a fresh cursor. A ratio of two timings is
    only the overhead of our layers when both were taken in the same minutes: this machine's speed
    drifts by half over an hour (the yardstick below), and timed one after the other, minutes
    apart, the same code gave budget / limit 1.08 in one run and 1.56 in the next."""
    walls: list[list[float]] = [[] for _ in fns]
    for fn in fns:
        _once(fn, con)
    for r in range(rounds):
        for i, fn in enumerate(fns):
            if r < runs[i]:
                walls[i].append(_once(fn, con)[0])
    return [{"ms": 1000 * statistics.median(w), "best_ms": 1000 * min(w)} for w in walls]


# The issue's yardstick for this machine: "a plain count-distinct over 1M rows already takes
# about 40 ms here". The same virtual machine has run it in 40 to 75 ms on different hours (the
# host's load), and every figure of a run moves with it: recorded before and after, so runs on
# different days can be compared.
YARDSTICK_SQL = "SELECT count(DISTINCT i) FROM range(1000000) t(i)"


def yardstick_ms(repeats: int = 9) -> float:
    """Median ms of YARDSTICK_SQL on an in-memory database."""
    with duckdb.connect() as con:
        return _timed(lambda: con.execute(YARDSTICK_SQL).fetchall(), repeats)["ms"]


def build(scale: str, work: Path) -> tuple[Path, float]:
    """A fresh database of the scale (deterministic: the same seed gives the same data)."""
    path = work / f"bench-{scale}.duckdb"
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)
    started = time.perf_counter()
    con = store.connect(path, read_only=False)
    try:
        generator.generate(con, scale)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path, time.perf_counter() - started


def run(scale: str, *, out: Path | None = None, repeats: int = 7, pandas_repeats: int = 3,
        with_browser: bool = True, with_import: bool = True, log=print) -> dict:
    work = ARTIFACTS
    work.mkdir(parents=True, exist_ok=True)
    day = generator.BENCH_AS_OF
    result: dict = {"scale": scale, "as_of": day.isoformat(), "started": datetime.now(timezone.utc).isoformat(),
                    "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                "duckdb": duckdb.__version__, "load_before": os.getloadavg()},
                    "targets": TARGETS}
    result["machine"]["yardstick_ms_before"] = yardstick_ms()
    log(f"generating scale {scale} …")
    db_path, seconds = build(scale, work)
    result["generate_s"] = seconds
    con = store.connect(db_path, read_only=False)  # as the app opens it
    try:
        project = calls.bench_project(con, day)
        result["project"] = project
        result["rows"] = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # names from the generator
                          for t, _ in generator.STATEMENTS}
        log(f"timing the analytics calls ({project}, as of {day}) …")
        by_name = {c.name: c for c in calls.page_calls(project, day)}
        result["calls"] = {name: {"page": c.page} | _timed(c.run, repeats, fresh_cursor=con)
                           for name, c in by_name.items()}
        log("pandas reference and hand-written limits …")
        started = time.perf_counter()
        frames = calls.load_frames(con)
        result["pandas_load_s"] = time.perf_counter() - started
        result["answers"] = {}
        for a in calls.answers(con, project, day):
            ours, pandas, limit = _in_turns([lambda c, a=a: [by_name[n].run(c) for n in a.calls],
                                            lambda _, a=a: a.pandas(frames), a.limit],
                                           repeats, [repeats, pandas_repeats, repeats], con)
            result["answers"][a.name] = {
                "calls": list(a.calls), "clusterboard_ms": ours["ms"], "pandas_ms": pandas["ms"], "limit_ms": limit["ms"],
                "pandas_ratio": pandas["ms"] / ours["ms"], "limit_ratio": ours["ms"] / limit["ms"]}
        del frames
    finally:
        con.close()
    if with_import:
        rows = generator.SCALES[scale].activity_rows
        log(f"importing a {rows:,}-row CSV …")
        result["import"] = import_timing.measure(db_path, work / f"import-{scale}.csv", rows, work)
    if with_browser:
        servers = {}
        for s in dict.fromkeys(["S", scale]):
            path = db_path if s == scale else build(s, work)[0]
            with duckdb.connect(str(path), read_only=True) as c:
                servers[s] = (path, calls.bench_project(c, day))
        log(f"rendering every page in the browser at {' and '.join(servers)}, in turns …")
        result["renders"] = browser.render_pages(servers, day)
    if with_browser and with_import and scale != "S":
        log("uploading the largest files the Data page takes in the browser …")
        result["uploads"] = _largest_uploads(db_path, result, day, work)
    result["machine"]["load_after"] = os.getloadavg()
    result["machine"]["yardstick_ms_after"] = yardstick_ms()
    result["targets_met"] = verdicts(result)
    out = out or work / f"bench-{scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str))
    result["out"] = str(out)
    return result


def upload_cap_mb() -> float:
    """The Data page's upload cap (server.maxUploadSize in .streamlit/config.toml; Streamlit's
    default 200 MB when it is not set)."""
    config = settings.ROOT / ".streamlit" / "config.toml"
    server = tomllib.loads(config.read_text()).get("server", {}) if config.exists() else {}
    return float(server.get("maxUploadSize", 200))


UPLOAD_KINDS = ("csv", "xlsx")


def _largest_uploads(db_path: Path, result: dict, day, work: Path) -> dict:
    """The largest files the Data page takes (settings.WEB_IMPORT_MAX_ROWS expense rows of each
    kind, inside the upload cap), a CSV and a workbook, each uploaded, checked and imported in the
    browser on a copy of the database; the server's memory from each."""
    cap, out = upload_cap_mb(), {}
    for kind in UPLOAD_KINDS:
        rows = settings.WEB_IMPORT_MAX_ROWS.of(kind)
        path = work / f"upload-{result['scale']}.{kind}"
        (import_timing.write_csv if kind == "csv" else import_timing.write_xlsx)(db_path, path, rows)
        if path.stat().st_size > cap * 2**20:  # the page would refuse it: not the largest it takes
            out[kind] = {"rows": rows, "cap_mb": cap, "error": f"{path.stat().st_size / 2**20:.0f} MB is over the cap"}
            continue
        out[kind] = {"rows": rows, "cap_mb": cap} | browser.upload_import(db_path, path, result["project"], day, work)
    return out


def verdicts(r: dict) -> dict:
    """Each target of the issue, met or not (they are stated for scale L)."""
    t, v = r["targets"], {}
    v["every call < 100 ms"] = all(c["ms"] < t["call_ms"] for c in r["calls"].values())
    v["pandas / ClusterBoard >= 2"] = all(a["pandas_ratio"] >= t["pandas_ratio"] for a in r["answers"].values())
    v["ClusterBoard / limit <= 1.5"] = all(a["limit_ratio"] <= t["limit_ratio"] for a in r["answers"].values())
    if "import" in r and "seconds" in r["import"]:
        v["import < 20 s"] = r["import"]["seconds"] < t["import_s"]
    renders = r.get("renders", {})
    if r["scale"] in renders and "S" in renders and r["scale"] != "S":
        ratios = render_ratios(renders["S"], renders[r["scale"]])
        v["render L/S <= 1.25"] = all(x is not None and x <= t["render_ratio"] for x in ratios.values())
    if r["scale"] in renders:
        v["server memory < 600 MB (pages)"] = renders[r["scale"]]["server_memory"]["peak_mb"] < t["memory_mb"]
    if "uploads" in r:
        peaks = [u.get("server_memory", {}).get("peak_mb") for u in r["uploads"].values()]
        v["server memory < 600 MB (largest uploads)"] = all(p is not None and p < t["memory_mb"] for p in peaks)
    return v


def render_ratios(small: dict, large: dict) -> dict[str, float | None]:
    out = {}
    for page, entry in large["pages"].items():
        s, l = small["pages"].get(page, {}).get("seconds"), entry.get("seconds")
        out[page] = l / s if s and l else None
    return out
