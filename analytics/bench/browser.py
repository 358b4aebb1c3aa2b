"""Page renders in a real browser and the server's peak memory, as the end-to-end tests run them:
`streamlit run` on a free port (tests/e2e/conftest.start_server), driven by Debian's headless
Chromium through Playwright, a page finished when Streamlit's script has stopped and the page
holds its heading (tests/e2e/conftest.wait_for_app, which also waits ~0.8 s for it to stay so).
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import time
from datetime import date
from pathlib import Path

from analytics.ui.navigation import PAGES


def _memory_mb(pid: int) -> dict[str, float]:
    """Peak (VmHWM) and current (VmRSS) resident memory of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            fields[key] = int(value.split()[0]) / 1024
    return {"peak_mb": fields.get("VmHWM"), "rss_mb": fields.get("VmRSS")}


def render_pages(servers: dict[str, tuple[Path, str]], day: date, *, repeats: int = 5) -> dict:
    """For each scale (its database and the project timed on it), the seconds from opening each
    page to its finished render (median of ``repeats`` after one warm-up visit per page), any error
    shown, and its server's memory afterwards.

    One server per scale, all up together, and each page visited on each in turn, so that S and L
    are timed in the same minutes: timed one scale after the other, the machine's drift between
    the two (the yardstick moves by half in an hour) went straight into the ratio L / S. Five
    visits, not three: two visits of one page differ by up to 1.7 s on this machine."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, wait_for_app

    started: dict[str, tuple] = {}
    pages: dict[str, dict[str, dict]] = {scale: {} for scale in servers}
    out: dict[str, dict] = {}
    try:
        for scale, (db_path, _) in servers.items():
            # no file watcher: the benchmark's server is not being edited, and watching the tree costs CPU
            started[scale] = start_server(db_path, {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"})
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                for visit in range(repeats + 1):
                    for spec in PAGES:
                        for scale, (_, project) in servers.items():
                            url = started[scale][1]
                            seconds, error = _visit(browser, f"{url}/{spec.url_path}?project={project}&as_of={day}",
                                                    wait_for_app)
                            entry = pages[scale].setdefault(spec.url_path, {"title": spec.title, "runs": [], "errors": []})
                            if visit:  # the first round warms the server (imports, the cached connection)
                                entry["runs"].append(seconds)
                            if error:
                                entry["errors"].append(error)
            finally:
                browser.close()
        for scale, (proc, _, log_path) in started.items():
            out[scale] = {"pages": pages[scale], "server_memory": _memory_mb(proc.pid), "server_log": str(log_path)}
    finally:
        for proc, _, _ in started.values():
            _stop(proc)
    for entry in (e for scale in pages.values() for e in scale.values()):
        entry["seconds"] = render_seconds(entry["runs"])
        entry["errors"] = sorted(set(entry["errors"]))
    return out


def render_seconds(runs: list[float | None]) -> float | None:
    """A page's render time: the median of its visits, none if a visit never finished (its error
    is reported; a median of the visits that did finish would hide it)."""
    return statistics.median(runs) if runs and None not in runs else None


def _visit(browser, url: str, wait_for_app) -> tuple[float | None, str | None]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, device_scale_factor=1)
    page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(url)
        wait_for_app(page, timeout_ms=120_000)
        seconds = time.perf_counter() - started
        boxes = page.locator("[data-testid='stException'], [data-testid='stAlertContentError']")
        error = boxes.first.inner_text()[:200] if boxes.count() else None
        return seconds, error
    except Exception as exc:  # a page that never finishes is a result to report, not a crash
        return None, f"{type(exc).__name__}: {str(exc)[:200]}"
    finally:
        context.close()


def upload_import(db_path: Path, csv_path: Path, project: str, day: date, work: Path) -> dict:
    """One file uploaded, checked and imported in the browser, on a copy of the database, by a
    server in use: every page visited once first, so its caches and DuckDB's buffer pool hold what
    they hold in a working day. Seconds of the check and of the import, and the server's memory
    before the upload and at the end."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, wait_for_app

    copy = work / f"upload-{db_path.name}"
    shutil.copyfile(db_path, copy)
    proc, url, log_path = start_server(copy, {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"})
    out: dict = {"file_mb": csv_path.stat().st_size / 2**20, "server_log": str(log_path)}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                for spec in PAGES:
                    _visit(browser, f"{url}/{spec.url_path}?project={project}&as_of={day}", wait_for_app)
                page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
                page.goto(f"{url}/data?project={project}&as_of={day}")
                wait_for_app(page, timeout_ms=120_000)
                page.get_by_test_id("stSelectbox").filter(has_text="Table to load into").click()
                page.get_by_role("option", name="(expenses)").click()
                wait_for_app(page)
                out["before_mb"] = _memory_mb(proc.pid)
                started = time.perf_counter()
                page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(csv_path))
                button = page.get_by_role("button", name="rows into expenses")
                button.wait_for(timeout=600_000)
                out["check_s"] = time.perf_counter() - started
                started = time.perf_counter()
                button.click()
                page.get_by_text("inserted").first.wait_for(timeout=600_000)
                out["import_s"] = time.perf_counter() - started
                out["message"] = page.get_by_test_id("stAlertContentSuccess").first.inner_text()[:200]
            finally:
                browser.close()
        out["server_memory"] = _memory_mb(proc.pid)
    except Exception as exc:  # reported in the result, as a page that never finishes is
        out["error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
    finally:
        _stop(proc)
        copy.unlink(missing_ok=True)
    return out


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
