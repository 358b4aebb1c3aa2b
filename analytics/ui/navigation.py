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
    # Who is offered the page (analytics.access.may): "view" everyone, "write" editors and admins,
    # "admin" admins; in public read-only mode only "view" pages exist. The write functions the
    # page calls check again, so hiding a page is a courtesy, not the protection.
    needs: str = "view"
    # False: a full-screen page (presentation mode) that shows no sidebar and no editing controls.
    chrome: bool = True


PAGES: tuple[PageSpec, ...] = (
    PageSpec("Grant", "pages/portfolio.py", "Portfolio", ":material/dashboard:", "portfolio", uses_project=False),
    PageSpec("Grant", "pages/kpis.py", "Project KPIs", ":material/flag:", "kpis"),
    PageSpec("Grant", "pages/budget.py", "Budget", ":material/euro:", "budget"),
    PageSpec("Participation", "pages/exchanges.py", "Exchanges and missions", ":material/connecting_airports:", "exchanges"),
    PageSpec("Participation", "pages/labels.py", "Labels", ":material/workspace_premium:", "labels"),
    PageSpec("Participation", "pages/deliverables.py", "Deliverables", ":material/assignment:", "deliverables"),
    PageSpec("Big Science", "pages/gaps.py", "Sector gaps", ":material/target:", "gaps", uses_project=False),
    PageSpec("Big Science", "pages/competencies.py", "Competency matrix", ":material/grid_view:", "competencies", uses_project=False),
    PageSpec("Output", "pages/report.py", "Report", ":material/picture_as_pdf:", "report"),
    PageSpec("Output", "pages/present.py", "Presentation", ":material/slideshow:", "present", chrome=False),
    PageSpec("Data", "pages/data.py", "Data", ":material/database:", "data", needs="write"),
    PageSpec("Admin", "pages/users.py", "Users and access", ":material/manage_accounts:", "users", uses_project=False, needs="admin"),
)
