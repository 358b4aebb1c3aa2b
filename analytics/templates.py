"""Import templates: an empty table to fill in, as CSV or as an Excel workbook with the help.

The CSV template is the header row alone (a help row would be imported as data). The workbook has
the header on a sheet named like the table, each header cell carrying its description as a
comment, a drop-down on choice columns, date columns formatted as dates, and a second sheet with
the whole data dictionary of the table.
"""
from __future__ import annotations

import io

from analytics.columns import columns
from analytics.dictionary import FIELDS, field_rows, table_summary
from analytics.exporting import BOM

TEMPLATE_ROWS = 1000  # rows prepared with drop-downs and date formats


def template_csv(table: str) -> bytes:
    return BOM + (",".join(c.name for c in columns(table)) + "\r\n").encode("utf-8")


def template_xlsx(table: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = table
    for index, col in enumerate(columns(table), start=1):
        cell = ws.cell(row=1, column=index, value=col.name)
        cell.font = Font(bold=True)
        help_text = col.description + (" (required)" if col.required else "")
        if col.choices:
            help_text += f". One of: {', '.join(col.choices)}"
        cell.comment = Comment(help_text, "ClusterBoard")
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(12, len(col.name) + 2)
        cells = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        if col.choices:
            check = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', allow_blank=True)
            check.add(cells)
            ws.add_data_validation(check)
        if col.kind == "date":
            for (row_cell,) in ws[cells]:
                row_cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    help_sheet = wb.create_sheet("dictionary")
    help_sheet.append([f"{table}: {table_summary(table)} See data/dictionary.md for the formats the import reads."])
    help_sheet.append(FIELDS)
    for row in field_rows(table):
        help_sheet.append([row[f] for f in FIELDS])
    for cell in help_sheet[2]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
