"""Tables as downloads: CSV (UTF-8 with a BOM, so spreadsheet programs read the scripts right),
XLSX (one sheet per table) and JSON. Private to the person who asked: never cached."""

from __future__ import annotations

import csv
import io
import json

from django.http import HttpResponse

from core.text import has_right_to_left

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Table = tuple[str, list, list]  # sheet title, header, rows


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(header: list, rows: list, *, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")
    return _attachment(response, filename)


def xlsx_response(tables: list[Table], *, filename: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    # A cell holding right-to-left text (an Arabic or Hebrew name) reads right to left and
    # aligns to the right, as a spreadsheet user in that script expects; others are untouched.
    right_to_left = Alignment(horizontal="right", readingOrder=2)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in tables:
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and has_right_to_left(cell.value):
                    cell.alignment = right_to_left
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX), filename)


def json_response(data: dict, *, filename: str) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return _attachment(HttpResponse(body, content_type="application/json"), filename)
