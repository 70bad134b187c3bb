"""Tables as downloads: CSV (UTF-8 with a BOM, so spreadsheet programs read the scripts right),
XLSX (one sheet per table) and JSON. Private to the person who asked: never cached."""

from __future__ import annotations

import csv
import io
import json

from django.http import HttpResponse

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

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in tables:
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX), filename)


def json_response(data: dict, *, filename: str) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return _attachment(HttpResponse(body, content_type="application/json"), filename)
