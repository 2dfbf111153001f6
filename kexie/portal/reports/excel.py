"""A report table as an Excel workbook."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from kexie.platform.lib.spreadsheets import escape_formula as safe_cell
from kexie.platform.lib.spreadsheets import sheet_title
from kexie.portal.reports.selectors import Table


def table_workbook(table: Table, *, heading: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(table.title)
    sheet.append([safe_cell(heading)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([safe_cell(column) for column in table.columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([safe_cell(value) for value in row])
    for label, value in table.figures:
        sheet.append([safe_cell(label), safe_cell(value)])
    if table.note:
        sheet.append([])
        sheet.append([safe_cell(table.note)])
    sheet.column_dimensions["A"].width = 34
    for letter in "BCDEF":
        sheet.column_dimensions[letter].width = 16
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
