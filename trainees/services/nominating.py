"""Nominations by a national focal point, several at once: officers ticked from a search of
their country, addresses pasted, and an invitation to sign up for an address that has no
account yet. Each officer is nominated through the enrolment state machine, on their own
(a refusal for one leaves the others nominated, and nothing half-done for anyone); the
coordinators are told once for the batch."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.public_url import public_url
from core.text import isolate

from ..models import Enrolment, NominationInvitation
from .enrolment import _lock_run, _window_check, coordinators_alert, nominate

# How many officers one submission may nominate or invite.
NOMINATIONS_MAX = 100
INVITATION_SALT = "pan.nomination-invitation"


@dataclass
class NominationOutcome:
    """What a submission did: who was nominated, who was invited to sign up, and who was not,
    each with the reason."""

    nominated: list[Enrolment] = field(default_factory=list)
    invited: list[NominationInvitation] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def addresses_parse(text: str) -> tuple[list[str], list[str]]:
    """Addresses pasted one per line or separated by commas, semicolons or spaces (also as
    "<address>"): the valid ones in lower case and without repeats, and the malformed ones as
    typed."""
    valid, malformed = [], []
    for token in re.split(r"[\s,;]+", text or ""):
        token = token.strip().strip("<>").strip()
        if not token:
            continue
        try:
            validate_email(token)
        except ValidationError:
            if token not in malformed:
                malformed.append(token)
            continue
        address = token.lower()
        if address not in valid:
            valid.append(address)
    return valid, malformed


def _accounts_for(addresses: list[str]) -> dict[str, object]:
    """The account of each address that has one (its login address, or another address its
    holder verified), in two queries."""
    from allauth.account.models import EmailAddress

    from network.models import User

    if not addresses:
        return {}
    found = {
        user.address: user
        for user in User.objects.annotate(address=Lower("email")).filter(address__in=addresses)
    }
    rest = [address for address in addresses if address not in found]
    if rest:
        for address in (
            EmailAddress.objects.annotate(address=Lower("email"))
            .filter(address__in=rest, verified=True)
            .select_related("user")
        ):
            found.setdefault(address.address, address.user)
    return found


def _officer_label(user) -> str:
    profile = getattr(user, "trainee_profile", None)
    return (profile.latin_name if profile is not None else "") or user.email


def invitation_country(*, actor, country=None):
    """The country invited officers are nominated for: the one chosen, else the nominator's
    only country; None when they nominate for several and chose none."""
    from .. import permissions

    if country is not None:
        return country
    countries = list(permissions.nominating_countries(actor)[:2])
    return countries[0] if len(countries) == 1 else None


@transaction.atomic
def nominations_make(
    *,
    run,
    actor,
    officers=(),
    emails=(),
    note: str = "",
    country=None,
    language: str = "en",
) -> NominationOutcome:
    """Nominate the officers ticked and the holders of the addresses given; invite each address
    without an account to sign up. Every officer on their own: a refusal (another country,
    already enrolled, no profile, closed account...) is reported with its reason and the
    others go ahead. The coordinators get one e-mail for the batch."""
    if len(officers) + len(emails) > NOMINATIONS_MAX:
        raise ValidationError(
            {
                "emails": _("Nominate at most %(n)s officers at once.") % {"n": NOMINATIONS_MAX},
            }
        )
    outcome = NominationOutcome()
    people: dict[int, tuple[object, str]] = {}
    for officer in officers:
        people.setdefault(officer.pk, (officer, _officer_label(officer)))
    accounts = _accounts_for(list(emails))
    to_invite = []
    for address in emails:
        user = accounts.get(address)
        if user is None:
            to_invite.append(address)
        elif not user.is_active:
            outcome.refused.append((address, _("This account is closed.")))
        else:
            people.setdefault(user.pk, (user, address))
    for user, label in people.values():
        try:
            with transaction.atomic():
                outcome.nominated.append(nominate(run=run, user=user, actor=actor, note=note))
        except ValidationError as error:
            outcome.refused.append((label, " ".join(error.messages)))
    for address in to_invite:
        try:
            with transaction.atomic():
                outcome.invited.append(
                    _invite(
                        run=run,
                        email=address,
                        actor=actor,
                        country=invitation_country(actor=actor, country=country),
                        note=note,
                        language=language,
                    )
                )
        except ValidationError as error:
            outcome.refused.append((address, " ".join(error.messages)))
    coordinators_alert(run=run, enrolments=outcome.nominated)
    return outcome


def _already_invited(invitation: NominationInvitation) -> ValidationError:
    return ValidationError(
        {
            "emails": _(
                "No account uses this address, and it was already invited to this run on %(date)s."
            )
            % {"date": timezone.localtime(invitation.created_at).strftime("%d.%m.%Y")}
        }
    )


def _invite(*, run, email: str, actor, country, note: str, language: str) -> NominationInvitation:
    from .. import permissions, tasks

    run = _lock_run(run.pk)
    _window_check(run, timezone.now())
    if country is None:
        raise ValidationError(
            {
                "country": _(
                    "No account uses this address. To invite the officer, choose the country "
                    "they serve in."
                )
            }
        )
    if not permissions.can_nominate(actor, country=country):
        raise ValidationError({"country": _("You may nominate only officers of your country.")})
    existing = NominationInvitation.objects.filter(run_id=run.pk, email=email).first()
    if existing is not None:
        raise _already_invited(existing)
    try:
        with transaction.atomic():
            invitation = NominationInvitation.objects.create(
                run=run,
                email=email,
                country=country,
                invited_by=actor,
                note=note.strip()[:500],
                language=language if language in dict(settings.LANGUAGES) else "en",
            )
    except IntegrityError:
        # The same address sent at the same moment by another request: it is invited once.
        raise _already_invited(
            NominationInvitation.objects.get(run_id=run.pk, email=email)
        ) from None
    invitation_id = invitation.pk
    transaction.on_commit(lambda: tasks.invitation_send.delay(invitation_id), robust=True)
    return invitation


def invitation_token(invitation: NominationInvitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_for_token(token: str) -> NominationInvitation | None:
    """The invitation a link names, or None for a link that was not made here."""
    try:
        invitation_id = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        return None
    return (
        NominationInvitation.objects.select_related("run__course", "run__organiser", "country")
        .filter(pk=invitation_id)
        .first()
    )


@transaction.atomic
def invitation_send(*, invitation_id: int) -> bool:
    """Mail the invitation (in the language the nominator used), once: a retried task skips an
    invitation already sent. The nominator's note is not in it."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    invitation = (
        NominationInvitation.objects.select_for_update(of=("self",))
        .select_related("run__course", "run__organiser", "country", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.sent_at is not None:
        return False
    if invitation.claimed_at is None:
        run = invitation.run
        with translation.override(invitation.language):
            context = {
                "nominator": isolate(str(invitation.invited_by or "")),
                "country": invitation.country.label,
                "run": run,
                "run_title": isolate(run.display_title),
                "organiser": isolate(run.organiser.name),
                "email": invitation.email,
                # In the nominator's language: the page it leads to speaks it too.
                "url": public_url(
                    reverse("trainees:invitation", args=[invitation_token(invitation)])
                ),
            }
            body = render_to_string("trainees/email/invitation.txt", context)
            subject = _("You have been nominated for a course: %(run)s") % {
                "run": isolate(run.display_title)
            }
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    return True


def invitations_owed(*, older_than: timedelta = timedelta(minutes=10)) -> list[int]:
    """Invitations not sent some minutes after they were made, to send again."""
    cutoff = timezone.now() - older_than
    return list(
        NominationInvitation.objects.filter(sent_at=None, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )


@transaction.atomic
def invitations_claim(*, user) -> tuple[list[Enrolment], list[str]]:
    """A person now holds a verified address that was invited: the nominations are made in
    their name, as their nominator made them, and wait for the coordinators. Each invitation
    is answered once. Returns the enrolments made and, for the invitations that could not
    be taken up (the run closed meanwhile...), what to tell the person."""
    from allauth.account.models import EmailAddress

    addresses = {
        address.lower()
        for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }
    if not addresses or not user.is_active:
        return [], []
    invitations = list(
        NominationInvitation.objects.select_for_update(of=("self",))
        .filter(email__in=addresses, claimed_at=None)
        .select_related("run", "country", "invited_by")
        .order_by("created_at", "pk")
    )
    made, problems = [], []
    for invitation in invitations:
        enrolment = None
        try:
            if invitation.invited_by is None:
                raise ValidationError({"email": _("The nominator's account no longer exists.")})
            with transaction.atomic():
                enrolment = nominate(
                    run=invitation.run,
                    user=user,
                    actor=invitation.invited_by,
                    note=invitation.note,
                    country=invitation.country,
                )
        except ValidationError as error:
            problems.append(
                _("Your nomination for %(run)s could not be recorded: %(why)s")
                % {"run": invitation.run.display_title, "why": " ".join(error.messages)}
            )
        else:
            made.append(enrolment)
            coordinators_alert(run=invitation.run, enrolments=[enrolment])
        invitation.claimed_at = timezone.now()
        invitation.enrolment = enrolment
        invitation.save(update_fields=["claimed_at", "enrolment"])
    return made, problems
