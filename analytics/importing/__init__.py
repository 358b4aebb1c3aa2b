"""Bring your own data: files in (CSV, XLSX) with every problem reported and nothing half-written.

``import_file`` is the one entry point, used by the Data page, the CLI and the benchmark.
"""
from analytics.importing.pipeline import UnknownTable, import_file
from analytics.importing.result import ImportResult
from analytics.importing.sheets import workbook_sheets

__all__ = ["ImportResult", "UnknownTable", "import_file", "workbook_sheets"]
