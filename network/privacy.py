"""Personal data, per person: everything the platform holds about someone, exported as one zip,
and erased on request after a cool-off period.

Each app that stores personal data offers two functions, listed in `SOURCES`:
`personal_data(user) -> dict` (a selector) and `personal_data_erase(user) -> None` (a service
that removes or anonymises what identifies the person while keeping aggregate counts intact).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from .models import ErasureRequest, User

# Modules (app.selectors / app.services) that hold personal data, in export order.
SOURCES = [
    ("network.selectors", "network.services"),
    ("trainees.selectors", "trainees.services"),
    ("certificates.selectors", "certificates.services"),
]


def personal_data(*, user: User) -> dict:
    data: dict = {}
    for selectors_path, _services_path in SOURCES:
        data.update(import_module(selectors_path).personal_data(user=user))
    return data


def personal_data_export(*, user: User, actor: User | None = None) -> bytes:
    """A zip with `personal-data.json`. Staff exporting someone else's data is logged."""
    payload = {
        "exported_at": timezone.now(),
        "platform": settings.WAGTAIL_SITE_NAME,
        **personal_data(user=user),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "personal-data.json",
            json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        archive.writestr(
            "README.txt",
            "Everything the PAN Training Platform holds about you, as of the export date.\n"
            "personal-data.json: your account, profile, roles, sign-in sessions, enrolments\n"
            "with their history, attendance, the e-mails the platform sent you, and your\n"
            "certificates.\n",
        )
    if actor is not None and actor.pk != user.pk:
        log(instance=user, action="pan.personal_data_export", user=actor)
    return buffer.getvalue()


@transaction.atomic
def erasure_request(*, user: User) -> ErasureRequest:
    days = settings.PAN_ERASURE_COOL_OFF_DAYS
    request, _created = ErasureRequest.objects.get_or_create(
        user=user, defaults={"due_at": timezone.now() + timedelta(days=days)}
    )
    return request


@transaction.atomic
def erasure_cancel(*, user: User) -> bool:
    deleted, _by_model = ErasureRequest.objects.filter(user=user, completed_at=None).delete()
    return bool(deleted)


@transaction.atomic
def erasure_execute(*, request_id: int) -> bool:
    """Carry out one due erasure. Idempotent: a request already carried out, cancelled or not yet
    due is left alone (returns False)."""
    request = (
        ErasureRequest.objects.select_for_update()
        .filter(pk=request_id, completed_at=None, due_at__lte=timezone.now())
        .select_related("user")
        .first()
    )
    if request is None:
        return False
    # Apps erase their own data first, the account last.
    for _selectors_path, services_path in reversed(SOURCES):
        import_module(services_path).personal_data_erase(user=request.user)
    request.completed_at = timezone.now()
    request.save(update_fields=["completed_at"])
    return True


def erasures_due() -> list[int]:
    return list(
        ErasureRequest.objects.filter(completed_at=None, due_at__lte=timezone.now()).values_list(
            "pk", flat=True
        )
    )
