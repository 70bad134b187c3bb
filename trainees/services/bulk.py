"""Bulk enrolment from a spreadsheet: every row checked first, nobody enrolled unless all are."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    Enrolment,
    TraineeProfile,
)
from .enrolment import _ALREADY, Kind, State, _lock_run, _move, _quotas, places

# ---------------------------------------------------------------------------------------------
# Bulk enrolment from a spreadsheet
# ---------------------------------------------------------------------------------------------

BULK_COLUMNS = ("email", "note")
BULK_MAX_ROWS = 2000


class BulkImportError(ValidationError):
    """A file that was refused, with one message per bad row (or for the file as a whole)."""


def enrolment_file_rows(*, content: bytes, filename: str) -> list[dict]:
    """Read a CSV (UTF-8, comma or semicolon) or XLSX file into rows keyed by header.
    The header must be `email` and, optionally, `note`."""
    import csv
    import io

    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            table = [
                ["" if cell is None else str(cell).strip() for cell in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        elif name.endswith(".csv"):
            text = content.decode("utf-8-sig")
            first_line = text.split("\n", 1)[0]
            delimiter = ";" if ";" in first_line and "," not in first_line else ","
            table = [
                [cell.strip() for cell in row]
                for row in csv.reader(io.StringIO(text), delimiter=delimiter)
            ]
        else:
            raise BulkImportError({"file": [_("Upload a .csv or .xlsx file.")]})
    except BulkImportError:
        raise
    except UnicodeDecodeError:
        raise BulkImportError({"file": [_("The CSV file must be saved as UTF-8.")]}) from None
    except Exception:  # noqa: BLE001 - any unreadable file gets the same clear answer
        raise BulkImportError({"file": [_("The file could not be read as CSV or XLSX.")]}) from None
    table = [row for row in table if any(row)]
    if not table:
        raise BulkImportError({"file": [_("The file is empty.")]})
    header = [cell.lower() for cell in table[0]]
    while header and header[-1] == "":
        header.pop()
    if not header or header[0] != "email" or any(col not in BULK_COLUMNS for col in header):
        raise BulkImportError(
            {
                "file": [
                    _(
                        "The first row must be the header “email” (optionally “email,note”); "
                        "found “%(found)s”."
                    )
                    % {"found": ",".join(table[0])}
                ]
            }
        )
    if len(table) - 1 > BULK_MAX_ROWS:
        raise BulkImportError(
            {"file": [_("At most %(n)s people per file.") % {"n": BULK_MAX_ROWS}]}
        )
    return [
        {column: (row[i] if i < len(row) else "") for i, column in enumerate(header)}
        for row in table[1:]
    ]


@transaction.atomic
def enrolments_import(*, run, rows: list[dict], actor) -> list[Enrolment]:
    """Enrol everyone listed, or no one: every row is checked first, and a file with any bad
    row is refused with one message per bad row (row numbers count the header as row 1)."""
    from django.core.validators import validate_email
    from django.db.models.functions import Lower

    from network.models import User

    run = _lock_run(run.pk)
    if run.is_cancelled:
        raise BulkImportError({"file": [_("This run was cancelled.")]})
    emails = [row.get("email", "").strip().lower() for row in rows]
    users = {
        user.email.lower(): user
        for user in User.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=[email for email in emails if email], is_active=True
        )
    }
    profiles = {p.user_id: p for p in TraineeProfile.objects.filter(user__in=list(users.values()))}
    existing = {e.user_id: e for e in Enrolment.objects.filter(run_id=run.pk).select_for_update()}
    errors, seen, accepted = [], {}, []
    for number, (row, email) in enumerate(zip(rows, emails, strict=True), start=2):
        if not email:
            errors.append(_("Row %(row)s: the e-mail address is empty.") % {"row": number})
            continue
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Row %(row)s: “%(email)s” is not an e-mail address.")
                % {"row": number, "email": email}
            )
            continue
        if email in seen:
            errors.append(
                _("Row %(row)s: %(email)s is already on row %(first)s.")
                % {"row": number, "email": email, "first": seen[email]}
            )
            continue
        seen[email] = number
        user = users.get(email)
        if user is None:
            errors.append(
                _("Row %(row)s: no account uses %(email)s.") % {"row": number, "email": email}
            )
            continue
        if user.pk not in profiles:
            errors.append(
                _("Row %(row)s: %(email)s has not completed their trainee profile.")
                % {"row": number, "email": email}
            )
            continue
        enrolment = existing.get(user.pk)
        if enrolment is not None and enrolment.state in _ALREADY:
            errors.append(
                _("Row %(row)s: %(email)s already has an enrolment in this run (%(state)s).")
                % {"row": number, "email": email, "state": enrolment.get_state_display()}
            )
            continue
        accepted.append((user, profiles[user.pk], row.get("note", ""), enrolment))
    if not errors:
        total, per_country = places(run)
        if total + len(accepted) > run.capacity:
            errors.append(
                _("The file lists %(n)s people but only %(left)s places are left.")
                % {"n": len(accepted), "left": max(run.capacity - total, 0)}
            )
        quotas = _quotas(run)
        wanted: dict[int, int] = {}
        for _user, profile, _note, _enrolment in accepted:
            wanted[profile.country_id] = wanted.get(profile.country_id, 0) + 1
        for country_id, count in wanted.items():
            if country_id in quotas and per_country.get(country_id, 0) + count > quotas[country_id]:
                from network.models import Country

                errors.append(
                    _("%(country)s: %(n)s people but the quota leaves %(left)s places.")
                    % {
                        "country": Country.objects.get(pk=country_id).name,
                        "n": count,
                        "left": max(quotas[country_id] - per_country.get(country_id, 0), 0),
                    }
                )
    if errors:
        raise BulkImportError({"file": errors})
    enrolled = []
    for user, profile, note, enrolment in accepted:
        enrolment = enrolment or Enrolment(run=run, user=user)
        enrolment.role = Enrolment.Role.TRAINEE
        enrolment.country_id = profile.country_id
        enrolled.append(
            _move(
                enrolment,
                State.ENROLLED,
                actor=actor,
                reason=note or "Enrolled by the organiser.",  # a key (SYSTEM_REASONS)
                notify=Kind.ENROLLED,
            )
        )
    return enrolled
