"""Static chart images (SVG or PNG) through kaleido: one headless Chromium per process.

Kaleido 1.x drives a Chrome through choreographer. We point it at Debian's chromium ($BROWSER_PATH,
else `chromium` on PATH) and never download one. Starting the browser costs seconds, rendering a
chart a fraction of one, so the browser starts on the first report and stays up for the process,
on its own event loop thread; every caller (Streamlit sessions run in threads) submits work to that
loop, and kaleido hands each chart to one of its tabs, so charts of one report render in parallel.
"""
from __future__ import annotations

import asyncio
import atexit
import logging
import os
import shutil
import threading
from pathlib import Path

import plotly.graph_objects as go

from analytics.errors import ClusterBoardError

log = logging.getLogger("clusterboard.reports")

TABS = 2  # parallel renders; more tabs cost memory and gain little on small reports
TIMEOUT_S = 60
RELOAD_EVERY = 100  # charts a tab draws before it is reloaded (see _reusing_kaleido)


class ChartImageError(ClusterBoardError):
    """Chart images cannot be made (no Chromium, or it failed): the PDF cannot be built."""


def chromium_path() -> str:
    path = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path or not Path(path).exists():
        raise ChartImageError("PDF charts need Chromium: install Debian's chromium (`make test` does) "
                              "or set BROWSER_PATH to a Chrome or Chromium executable")
    return path


def _reusing_kaleido():
    """Kaleido, but a tab is reloaded every RELOAD_EVERY charts instead of after every chart.

    Kaleido 1.5 reloads the tab after each image, which re-parses all of plotly.js: about 0.3 s a
    chart, four fifths of a report's build time. Its page draws each chart with Plotly.toImage on a
    figure object, which makes and purges its own element, so nothing carries over from one chart
    to the next; the periodic reload only bounds memory. This overrides one private method of the
    pinned kaleido (requirements.txt); if a kaleido upgrade drops it, the override is simply unused.
    """
    import kaleido  # imported late: the app and the CLI load without it until a PDF is asked for

    class ReusingKaleido(kaleido.Kaleido):
        _uses: dict[int, int]

        async def _return_kaleido_tab(self, tab) -> None:
            uses = getattr(self, "_uses", {})
            self._uses = uses
            uses[id(tab)] = uses.get(id(tab), 0) + 1
            if uses[id(tab)] >= RELOAD_EVERY:
                uses[id(tab)] = 0
                await tab.reload()
            await self.tabs_ready.put(tab)

    return ReusingKaleido


class _Browser:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None

    def _start(self) -> None:
        kaleido_class = _reusing_kaleido()
        path = chromium_path()
        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="kaleido", daemon=True).start()

        async def open_browser():
            # mathjax=False: no CDN fetch; plotly.js comes from the installed plotly package.
            k = kaleido_class(n=TABS, path=path, mathjax=False, timeout=TIMEOUT_S)
            await k.open()
            return k

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(TIMEOUT_S)
        except Exception as exc:
            loop.call_soon_threadsafe(loop.stop)
            raise ChartImageError(f"could not start Chromium for chart images ({path}): {exc}") from exc
        self._loop = loop
        log.info("kaleido started with %s", path)

    def close(self) -> None:
        with self._lock:
            if self._kaleido is not None and self._loop is not None:
                try:
                    asyncio.run_coroutine_threadsafe(self._kaleido.close(), self._loop).result(10)
                except Exception:  # closing at exit: a browser that is already gone is fine
                    log.debug("kaleido close failed", exc_info=True)
                self._loop.call_soon_threadsafe(self._loop.stop)
            self._kaleido = self._loop = None

    def render(self, figures: list[go.Figure], fmt: str, sizes: list[tuple[int, int]]) -> list[bytes]:
        with self._lock:
            if self._kaleido is None:
                self._start()
            k, loop = self._kaleido, self._loop

        async def all_figures():
            return await asyncio.gather(*(
                k.calc_fig(fig, opts={"format": fmt, "width": w, "height": h, "scale": 1 if fmt == "svg" else 2})
                for fig, (w, h) in zip(figures, sizes)
            ))

        try:
            return asyncio.run_coroutine_threadsafe(all_figures(), loop).result(TIMEOUT_S * 2)
        except Exception as exc:
            # A crashed or hung browser is replaced on the next call instead of failing forever.
            self.close()
            raise ChartImageError(f"chart images failed: {exc}") from exc


_browser = _Browser()
atexit.register(_browser.close)


def render(figures: list[go.Figure], *, fmt: str = "svg", sizes: list[tuple[int, int]]) -> list[bytes]:
    """The figures as images, in order; sizes in CSS pixels (width, height) per figure."""
    if not figures:
        return []
    return _browser.render(figures, fmt, sizes)


def warm() -> None:
    """Start the browser now (e.g. before a benchmark), so the first report is not the cold one."""
    render([go.Figure()], sizes=[(100, 100)])
