"""Hardening on every page: SQL fragments through every URL filter change nothing and break
nothing; hostile names in the data reach Markdown only escaped."""
from __future__ import annotations

import re
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from analytics import store
from analytics.ui.navigation import PAGES
from tests.access_helpers import SQL_FRAGMENTS, fingerprint, plant_hostile_names
from tests.conftest import ROOT

# Widget kinds a page may bind to the URL (bind="query-params").
WIDGET_KINDS = ("selectbox", "multiselect", "date_input", "slider", "select_slider", "radio", "button_group",
                "text_input", "number_input", "checkbox", "toggle", "segmented_control", "pills")
# Elements whose text Streamlit renders as Markdown.
MARKDOWN_KINDS = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
INTERNAL_ERROR = "could not be shown because of an internal error"


def open_page(page: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params.update(query or {})
    at.run()
    at.switch_page(page)
    at.query_params.update(query or {})
    return at.run()


def url_keys(at: AppTest) -> set[str]:
    keys = set()
    for kind in WIDGET_KINDS:
        for widget in at.get(kind):
            if getattr(widget, "key", None):
                keys.add(widget.key)
    return keys


def markdown_texts(at: AppTest) -> list[str]:
    texts = [str(e.value) for kind in MARKDOWN_KINDS for e in at.get(kind)]
    return texts + [m.label for m in at.metric]


@pytest.mark.parametrize("fragment", SQL_FRAGMENTS, ids=["drop-table", "or-1-1", "stacked-delete"])
@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_sql_fragments_through_every_url_filter(seeded_db_file, spec, fragment):
    before = fingerprint(store.connect(seeded_db_file, read_only=False))
    keys = url_keys(open_page(spec.file)) | {"project", "as_of"}
    hostile = {k: [fragment, fragment + "x"] for k in keys}  # repeated keys: what a multiselect reads
    at = open_page(spec.file, hostile)
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error if INTERNAL_ERROR in e.value]
    assert fingerprint(store.connect(seeded_db_file, read_only=False)) == before


@pytest.fixture
def hostile_db(seeded_db_file):
    con = store.connect(seeded_db_file, read_only=False)
    plant_hostile_names(con)
    con.close()
    return seeded_db_file


UNESCAPED = re.compile(r"(?<!\\)<(script|img)|(?<!\\)\[click(?<!\\)\]|(?<!\\):red(?<!\\)\[")


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_hostile_names_reach_markdown_escaped(hostile_db, spec):
    at = open_page(spec.file, {"project": "CE4BIG", "as_of": "2021-06-30"})
    assert not at.exception, [e.value for e in at.exception]
    leaks = [t for t in markdown_texts(at) if UNESCAPED.search(t)]
    assert leaks == []


def test_hostile_title_and_kpi_name_shown_as_text_on_the_kpi_page(hostile_db):
    at = open_page("pages/kpis.py", {"project": "CE4BIG", "as_of": "2021-06-30"})
    texts = " ".join(markdown_texts(at))
    assert r"\<script\>alert\(3\)\</script\> \[click\]\(https\://evil\.example\) \*\*bold\*\*" in texts
    assert r"\<img src\=x onerror\=alert\(4\)\> \:red\[red\] \$x\$" in texts


def test_server_config_hides_errors_and_caps_uploads():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["maxUploadSize"] == 50
