"""Reads for certificates: who is eligible under a run's rules (and why not), a person's
certificates, what the public verification page shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.public_url import public_base_url

from .models import Certificate, CertificateRule

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def code_normalise(text: str) -> str:
    """A code as a person may type it: any case, with spaces or dashes, O for 0, I or L for 1."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return cleaned.translate(_CONFUSABLE)


@dataclass
class Standing:
    """One participant against one rule: eligible, or the reasons why not."""

    enrolment: object
    rule: CertificateRule
    reasons: list[str] = field(default_factory=list)
    certificate: Certificate | None = None  # the current one (valid, or the revoked last one)
    attendance_rate: int | None = None
    score: int | None = None
    # Why the holder's name cannot be printed (no profile, or characters the certificate fonts
    # lack): no rule can be waived past it, since the paper would be wrong.
    unprintable: str = ""

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def printable(self) -> bool:
        return not self.unprintable

    @property
    def issued(self) -> bool:
        return self.certificate is not None and self.certificate.status == "valid"

    @property
    def owed(self) -> bool:
        """Eligible and no certificate yet: what automatic and bulk issuance act on."""
        return self.eligible and self.certificate is None


def _run_over(run, now) -> bool:
    from courses.models import Session

    last = Session.objects.filter(run_id=run.pk, cancelled=False).aggregate(last=Max("ends_at"))[
        "last"
    ]
    if last is not None:
        return last <= now
    # A run without sessions (self-paced) is over for certificate purposes at once: its rules
    # are about lessons and scores.
    return True


def run_standings(*, run, rules=None, enrolment_ids=None, user_id=None, now=None) -> list[Standing]:
    """Every enrolled participant of `run` against each of its certificate rules (or the given
    ones), limited to some enrolments or one person if asked. A constant number of queries
    (eight) whatever the number of participants and lessons."""
    from courses import selectors as course_selectors
    from elearning import selectors as elearning_selectors
    from trainees import selectors as trainee_selectors

    from .rendering import missing_characters

    now = now or timezone.now()
    rules = list(run.certificate_rules.select_related("template")) if rules is None else rules
    if not rules:
        return []
    enrolments = trainee_selectors.certifiable_enrolments(
        run=run, enrolment_ids=enrolment_ids, user_id=user_id
    )
    if not enrolments:
        return []
    summaries = trainee_selectors.attendance_summaries(enrolments)
    run_over = _run_over(run, now)
    lessons = (
        course_selectors.course_lessons(course_id=run.course_id)
        if any(rule.lessons_required or rule.min_score for rule in rules)
        else []
    )
    progress = elearning_selectors.lesson_progress_for(
        user_ids=[e.user_id for e in enrolments], lesson_ids=[lesson.pk for lesson in lessons]
    )
    latest: dict[tuple[int, str], Certificate] = {}
    for certificate in Certificate.objects.filter(
        run_id=run.pk, user_id__in=[e.user_id for e in enrolments]
    ).order_by("version"):
        latest[(certificate.user_id, certificate.kind)] = certificate

    standings = []
    for enrolment in enrolments:
        summary = summaries[enrolment.pk]
        rate = round(100 * summary.attended / summary.total) if summary.total else None
        own = {lesson.pk: progress.get((enrolment.user_id, lesson.pk)) for lesson in lessons}
        scores = [p.score for p in own.values() if p is not None and p.score is not None]
        score = round(100 * sum(scores) / len(scores)) if scores else None
        profile = getattr(enrolment.user, "trainee_profile", None)
        for rule in rules:
            standing = Standing(enrolment=enrolment, rule=rule, attendance_rate=rate, score=score)
            standing.certificate = latest.get((enrolment.user_id, rule.kind))
            reasons = standing.reasons
            if standing.certificate is not None:
                if standing.certificate.status == Certificate.Status.REVOKED:
                    reasons.append(
                        _("Revoked on %(date)s: %(reason)s")
                        % {
                            "date": standing.certificate.revoked_at.date().isoformat(),
                            "reason": standing.certificate.revocation_reason,
                        }
                    )
                standings.append(standing)
                continue
            if profile is None:
                standing.unprintable = _(
                    "No trainee profile: the name for the certificate is missing."
                )
            else:
                missing = missing_characters(f"{profile} {profile.latin_name}")
                if missing:
                    standing.unprintable = _(
                        "The certificate fonts cannot print %(chars)s in the name."
                    ) % {"chars": " ".join(missing)}
            if standing.unprintable:
                reasons.append(standing.unprintable)
            if summary.total and not run_over:
                reasons.append(_("The run's last session has not ended yet."))
            if (
                rule.min_attendance
                and summary.total
                and (rate is None or rate < rule.min_attendance)
            ):
                reasons.append(
                    _("Attended %(rate)s%% of the sessions; the rule asks for %(min)s%%.")
                    % {"rate": rate or 0, "min": rule.min_attendance}
                )
            if rule.lessons_required:
                unmet = [
                    lesson.title
                    for lesson in lessons
                    if own[lesson.pk] is None or not own[lesson.pk].satisfied
                ]
                if unmet:
                    reasons.append(
                        _("Lessons not yet met: %(titles)s.") % {"titles": ", ".join(unmet)}
                    )
            if rule.min_score:
                if score is None:
                    reasons.append(_("No assessed lesson has a score yet."))
                elif score < rule.min_score:
                    reasons.append(
                        _("Assessment score %(score)s%%; the rule asks for %(min)s%%.")
                        % {"score": score, "min": rule.min_score}
                    )
            standings.append(standing)
    return standings


def runs_with_automatic_rules_ended_since(*, since) -> list[int]:
    """Runs with an automatic rule whose last session ended after `since` (for the periodic
    check that catches the moment a run ends)."""
    from courses.models import CourseRun

    return list(
        CourseRun.objects.filter(certificate_rules__automatic=True)
        .exclude(status="cancelled")
        .annotate(last=Max("sessions__ends_at", filter=Q(sessions__cancelled=False)))
        .filter(last__gt=since, last__lte=timezone.now())
        .values_list("pk", flat=True)
        .distinct()
    )


def my_certificates(*, user) -> list[Certificate]:
    """A person's certificates, newest first, without superseded versions, each with
    ``renewed`` and ``expired`` (one query)."""
    now = timezone.now()
    certificates = list(
        _renewed(
            Certificate.objects.filter(user=user)
            .exclude(status=Certificate.Status.SUPERSEDED)
            .select_related("run__course", "run__organiser")
        ).order_by("-issued_at")
    )
    for certificate in certificates:
        certificate.expired = bool(certificate.expires_at and certificate.expires_at <= now)
    return certificates


def certificate_for_verification(*, code: str) -> Certificate | None:
    """The certificate a code names, with the version that superseded it, if any (one query)."""
    code = code_normalise(code)
    if len(code) != 13:
        return None
    return Certificate.objects.filter(code=code).select_related("superseded_by", "run").first()


def renewal_of(certificate: Certificate) -> Certificate | None:
    """A later certificate of the same kind for the same course held by the same person: a
    refresher run renewed it (one query)."""
    if certificate.user_id is None or certificate.status == Certificate.Status.SUPERSEDED:
        return None
    return (
        Certificate.objects.filter(
            user_id=certificate.user_id,
            kind=certificate.kind,
            run__course_id=certificate.run.course_id,
            status=Certificate.Status.VALID,
            issued_at__gt=certificate.issued_at,
        )
        .exclude(pk=certificate.pk)
        .order_by("-issued_at")
        .first()
    )


def _renewed(queryset):
    """Whether a later valid certificate of the same kind and course exists for the holder."""
    from django.db.models import Exists, OuterRef

    later = Certificate.objects.filter(
        user_id=OuterRef("user_id"),
        kind=OuterRef("kind"),
        run__course_id=OuterRef("run__course_id"),
        status=Certificate.Status.VALID,
        issued_at__gt=OuterRef("issued_at"),
    )
    return queryset.annotate(renewed=Exists(later))


def certificates_expiring(*, institution_ids, within_days: int, now=None) -> list[Certificate]:
    """Valid certificates issued by these institutions that expire within ``within_days`` (or
    expired in the last 30 days), soonest first, each with ``renewed`` (one query)."""
    from datetime import timedelta

    now = now or timezone.now()
    queryset = Certificate.objects.filter(
        run__organiser_id__in=list(institution_ids),
        status=Certificate.Status.VALID,
        user__isnull=False,
        expires_at__isnull=False,
        expires_at__gt=now - timedelta(days=30),
        expires_at__lte=now + timedelta(days=within_days),
    ).select_related("run__course", "run__organiser", "user__trainee_profile")
    return list(_renewed(queryset).order_by("expires_at", "pk"))


def expiry_reminders_due(*, now=None) -> list[tuple[Certificate, int]]:
    """Certificates to remind now, each with the lead time it has reached: the shortest of the
    configured lead times (days) within which it expires, not yet reminded at that lead time
    nor renewed. A certificate first seen inside 30 days gets the 30-day reminder only."""
    from datetime import timedelta

    from .models import ExpiryReminder

    now = now or timezone.now()
    leads = sorted(settings.PAN_CERTIFICATE_EXPIRY_REMINDER_DAYS)
    if not leads:
        return []
    queryset = Certificate.objects.filter(
        status=Certificate.Status.VALID,
        user__isnull=False,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=leads[-1]),
    ).select_related("run")
    reminded = {
        (certificate_id, days)
        for certificate_id, days in ExpiryReminder.objects.filter(
            certificate__in=queryset
        ).values_list("certificate_id", "days_before")
    }
    due = []
    for certificate in _renewed(queryset).order_by("expires_at", "pk"):
        if certificate.renewed:
            continue
        lead = next(d for d in leads if certificate.expires_at <= now + timedelta(days=d))
        if not any((certificate.pk, d) in reminded for d in leads if d <= lead):
            due.append((certificate, lead))
    return due


def certificate_by_sha256(*, digest: str) -> Certificate | None:
    return Certificate.objects.filter(sha256=digest).first()


def current_version(certificate: Certificate) -> Certificate:
    """Follow name corrections to the latest version (the first hop is usually selected with
    the certificate already; each further one is a query)."""
    for _hop in range(20):
        if certificate.status != Certificate.Status.SUPERSEDED:
            break
        try:
            certificate = certificate.superseded_by
        except Certificate.DoesNotExist:
            break
    return certificate


def revoked_indexes(*, institution_id: int) -> list[int]:
    """Positions in an institution's Open Badges revocation list (certificate ids) of its
    certificates no longer valid: revoked, or superseded by a corrected version."""
    return list(
        Certificate.objects.filter(run__organiser_id=institution_id)
        .exclude(status=Certificate.Status.VALID)
        .values_list("pk", flat=True)
    )


# ---------------------------------------------------------------------------------------------
# Open Badges 3.0: stable URLs and the data of a credential
# ---------------------------------------------------------------------------------------------


def _base() -> str:
    return public_base_url()


def verify_url(code: str) -> str:
    return f"{_base()}/verify/{code}/"


def issuer_id(institution_id: int) -> str:
    return f"{_base()}/badges/issuers/{institution_id}/"


def status_list_url(institution_id: int) -> str:
    return f"{_base()}/badges/status/{institution_id}/"


def key_url() -> str:
    from . import badges

    return f"{_base()}/badges/keys/{badges.key_id()}.json"


def achievement_url(run_id: int, kind: str) -> str:
    return f"{_base()}/badges/achievements/{run_id}/{kind}/"


def institution(*, institution_id: int):
    from network.models import Institution

    return Institution.objects.filter(pk=institution_id).first()


def issuer_profile(*, institution) -> dict:
    from . import badges

    return badges.issuer_profile(
        issuer_id=issuer_id(institution.pk),
        name=institution.name,
        url=_base() + f"/institutions/{institution.slug}/",
        key_url=key_url(),
    )


def _criteria(rule: dict, kind: str) -> str:
    parts = []
    if rule.get("min_attendance"):
        parts.append(f"attended at least {rule['min_attendance']}% of the run's sessions")
    if rule.get("lessons_required"):
        parts.append("met every lesson of the course")
    if rule.get("min_score"):
        parts.append(f"scored at least {rule['min_score']}% in the assessed lessons")
    if not parts:
        parts.append("took part in the course run")
    return "The holder " + ", ".join(parts) + "."


def badge_data(certificate: Certificate):
    from . import badges

    snapshot = certificate.snapshot
    institution_id = snapshot.get("institution_id") or certificate.run.organiser_id
    title = snapshot.get("title") or snapshot.get("kind", "")
    return badges.BadgeData(
        credential_id=verify_url(certificate.code),
        name=f"{title}: {snapshot.get('course', '')}",
        description=f"{snapshot.get('kind', '')}, {snapshot.get('run', '')} "
        f"({snapshot.get('dates', '')}), {snapshot.get('institution', '')}.",
        issuer_id=issuer_id(institution_id),
        issuer_name=snapshot.get("institution", ""),
        issuer_url=_base(),
        achievement_id=achievement_url(certificate.run_id, certificate.kind),
        achievement_name=f"{snapshot.get('kind', '')}: {snapshot.get('course', '')}",
        achievement_type=badges.ACHIEVEMENT_TYPE_TRAINER
        if certificate.kind == "trainer"
        else badges.ACHIEVEMENT_TYPE_COMPLETION,
        criteria=_criteria(snapshot.get("rule", {}), certificate.kind),
        holder_name=snapshot.get("name_latin", ""),
        holder_name_native=snapshot.get("name", ""),
        holder_email=certificate.user.email if certificate.user_id else "",
        salt=certificate.code,
        issued_at=certificate.issued_at,
        expires_at=certificate.expires_at,
        status_index=certificate.pk,
        status_list_url=status_list_url(institution_id),
        key_url=key_url(),
    )


def achievement(*, run_id: int, kind: str) -> dict | None:
    from courses.models import CourseRun

    from . import badges
    from .models import Kind

    if kind not in Kind.values:
        return None
    run = CourseRun.objects.filter(pk=run_id).select_related("course", "organiser").first()
    if run is None:
        return None
    rule = CertificateRule.objects.filter(run_id=run_id, kind=kind).first()
    if rule is None:
        return None
    return {
        "@context": ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": achievement_url(run_id, kind),
        "type": ["Achievement"],
        "name": f"{Kind(kind).label}: {run.course.title}",
        "description": f"{run.display_title}, {run.organiser.name}.",
        "criteria": {
            "narrative": _criteria(
                {
                    "min_attendance": rule.min_attendance,
                    "lessons_required": rule.lessons_required,
                    "min_score": rule.min_score,
                },
                kind,
            )
        },
        "achievementType": badges.ACHIEVEMENT_TYPE_TRAINER
        if kind == "trainer"
        else badges.ACHIEVEMENT_TYPE_COMPLETION,
        "creator": {"id": issuer_id(run.organiser_id), "type": ["Profile"]},
    }


def personal_data(*, user) -> dict:
    """For the person's data export: their certificates as issued."""
    return {
        "certificates": [
            {
                "code": c.code,
                "kind": c.kind,
                "version": c.version,
                "status": c.status,
                "issued_at": c.issued_at,
                "expires_at": c.expires_at,
                "revoked_at": c.revoked_at,
                "revocation_reason": c.revocation_reason,
                "snapshot": c.snapshot,
                "sha256": c.sha256,
            }
            for c in Certificate.objects.filter(user=user).order_by("issued_at")
        ]
    }
