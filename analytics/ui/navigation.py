"""The pages of the app, by section. A new page is one line here and one file in pages/."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    section: str
    file: str  # relative to the repository root
    title: str
    icon: str
    url_path: str
    uses_project: bool = True  # False: the page ignores the project picker


PAGES: tuple[PageSpec, ...] = (
    PageSpec("Grant", "pages/portfolio.py", "Portfolio", ":material/dashboard:", "portfolio", uses_project=False),
    PageSpec("Grant", "pages/kpis.py", "Project KPIs", ":material/flag:", "kpis"),
    PageSpec("Grant", "pages/budget.py", "Budget", ":material/euro:", "budget"),
)
