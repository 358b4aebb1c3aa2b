"""Browser tests: `streamlit run` on a free local port, driven by Debian's headless Chromium.

Chromium comes from the system (/usr/bin/chromium, installed by `make test`); Playwright only
drives it and never downloads a browser of its own.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from analytics import seed, store
from tests.conftest import ARTIFACTS, ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = ARTIFACTS / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_path: Path, env_extra: dict | None = None,
                 port: int | None = None) -> tuple[subprocess.Popen, str, Path]:
    port = port or free_port()  # given: when the settings must name it (an OIDC redirect_uri)
    log_path = ARTIFACTS / f"streamlit-{port}.log"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = os.environ | {"CLUSTERBOARD_DB": str(db_path)} | (env_extra or {})
    log = log_path.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {log_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proc, url, log_path
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy within 60 s")


@pytest.fixture(scope="session")
def e2e_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("e2e") / "clusterboard.duckdb"
    c = store.connect(path, read_only=False)
    seed.seed(c)
    c.close()
    return path


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def server(e2e_db):
    proc, url, log_path = start_server(e2e_db)
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, device_scale_factor=1)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def wait_for_app(pg, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has finished running the script (as streamlit's own e2e suite does)."""
    pg.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    # The app is done when a run has produced content (a heading in the main block), the script
    # state is notRunning, and that holds for several consecutive polls (a rerun may follow).
    pg.wait_for_function(
        """() => {
            const app = document.querySelector("[data-testid='stApp']");
            const done = app && app.getAttribute('data-test-script-state') === 'notRunning'
                && document.querySelector("[data-testid='stMainBlockContainer'] h1")
                && !document.querySelector("[data-testid='stSkeleton']");
            window.__cbStable = done ? (window.__cbStable || 0) + 1 : 0;
            return window.__cbStable >= 5;
        }""",
        polling=100,
        timeout=timeout_ms,
    )
    pg.wait_for_timeout(300)  # plotly draws after the script finishes


def screenshot(pg, path: Path) -> None:
    """Whole page: Streamlit scrolls an inner container, so grow the viewport to its height."""
    height = pg.evaluate(
        """() => { const m = document.querySelector("[data-testid='stMain']");
                   return Math.max(m ? m.scrollHeight : 0, document.body.scrollHeight); }"""
    )
    width = pg.viewport_size["width"]
    pg.set_viewport_size({"width": width, "height": min(max(int(height), 800), 12000)})
    pg.wait_for_timeout(500)  # plotly redraws on resize
    pg.screenshot(path=str(path), full_page=True)


def open_page(pg, url: str, name: str) -> dict:
    """Open a URL, wait for the app, assert no exception or error box, save a screenshot."""
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    started = time.perf_counter()
    pg.goto(url)
    wait_for_app(pg)
    elapsed = time.perf_counter() - started
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screenshot(pg, SCREENSHOTS / f"{name}.png")
    assert pg.locator("[data-testid='stException']").count() == 0, f"{name}: exception box shown"
    assert pg.get_by_text("Page not found").count() == 0, f"{name}: {url} is not a page"
    alerts = pg.locator("[data-testid='stAlertContentError']")
    assert alerts.count() == 0, f"{name}: error shown: {alerts.first.inner_text()}"
    return {"seconds": elapsed, "js_errors": errors}
