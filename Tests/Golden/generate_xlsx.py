# DO NOT EDIT Tests/Data/excel/children.xlsx by hand: it is written by openpyxl 3.1.5 with `python3 Tests/Golden/generate_xlsx.py`.
"""Writes Tests/Data/excel/children.xlsx, a small workbook made by a real spreadsheet library, for ExcelWorkbookTests.

Run from the repository root:

    pip install openpyxl==3.1.5
    python3 Tests/Golden/generate_xlsx.py

The sheet has what councils' exports have: a number column, text in mixed case (one value with a comma, one with a
quote), an empty cell, and dates of birth as real date cells shown the UK way (DD/MM/YYYY), on a first sheet followed
by a second. openpyxl 3.1 writes dates as serial numbers with a custom date style, as Excel does, but strings as inline
strings (Excel uses shared strings: the tests cover those with workbooks they write themselves), and it points to the
sheets by absolute paths (/xl/worksheets/sheet1.xml). The Swift test expects the exact CSV text given in
ExcelWorkbookTests.swift; change both together. Re-running changes the zip's timestamps only.
"""
import datetime
import os

import openpyxl

assert openpyxl.__version__ == "3.1.5", f"the header names openpyxl 3.1.5, this is {openpyxl.__version__}"

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Data", "excel", "children.xlsx")

ROWS = [
    ("child_id", "First name", "Date of birth", "Centre", "Attendances"),
    (1001, "amelia", datetime.date(2021, 3, 14), "Riverside", 12),
    (1002, "OLIVER", datetime.date(2020, 11, 2), None, 0),
    (1003, "Isla-May", datetime.date(2019, 2, 28), "Hill Top, East", 7.5),
    (1004, 'Noah "Nod" Smith', datetime.date(2022, 12, 31), "riverside", 3),
    (1005, "zara", datetime.date(2024, 2, 29), "HILL TOP", 0.25),
]


def main():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Children"
    for row in ROWS:
        sheet.append(row)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        cell.number_format = "DD/MM/YYYY"
    notes = workbook.create_sheet("Notes")
    notes.append(("Exported for the uptake tests",))
    fixed = datetime.datetime(2025, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    workbook.save(OUT)
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
