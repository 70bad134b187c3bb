"""Trainee profiles: how a person's name must appear on certificates, and the facts the
network's figures are disaggregated by."""

import unicodedata

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _unspaced(text: str) -> bool:
    """Whether a name is written in a script that joins family and given name without a space
    (Chinese characters, Japanese kana, Korean hangul): 王伟, 김민준, 山田太郎."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(
        unicodedata.name(ch, "").startswith(("CJK ", "HANGUL ", "HIRAGANA ", "KATAKANA "))
        for ch in letters
    )


def _joined(first: str, second: str) -> str:
    parts = [part for part in (first.strip(), second.strip()) if part]
    separator = "" if len(parts) == 2 and all(_unspaced(part) for part in parts) else " "
    return separator.join(parts)


class TraineeProfile(models.Model):
    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        ANOTHER = "another", _("Another gender")
        UNDISCLOSED = "undisclosed", _("Prefer not to say")

    class NameOrder(models.TextChoices):
        GIVEN_FIRST = "given_first", _("Given name first (Nino Kapanadze)")
        FAMILY_FIRST = "family_first", _("Family name first (Kim Min-jun)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="trainee_profile",
    )
    # A name of one word goes in family_name (as in passports); given_name then stays empty.
    # Each Latin part is filled exactly when its native part is (see the constraints).
    given_name = models.CharField(
        _("given name"),
        max_length=150,
        blank=True,
        help_text=_("As it must appear on certificates, in your own script."),
    )
    family_name = models.CharField(_("family name"), max_length=150, blank=True)
    given_name_latin = models.CharField(
        _("given name in Latin letters"),
        max_length=150,
        blank=True,
        help_text=_("The transliteration used in your passport, e.g. Aleksandr."),
    )
    family_name_latin = models.CharField(
        _("family name in Latin letters"), max_length=150, blank=True
    )
    name_order = models.CharField(
        _("name order"),
        max_length=16,
        choices=NameOrder.choices,
        default=NameOrder.GIVEN_FIRST,
        help_text=_("The order in which the names are printed, in both scripts."),
    )
    gender = models.CharField(
        _("gender"),
        max_length=16,
        choices=Gender.choices,
        help_text=_("Used only for gender-disaggregated statistics."),
    )
    country = models.ForeignKey(
        "pan_network.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="trainees",
    )
    institution = models.ForeignKey(
        "pan_network.Institution",
        verbose_name=_("institution or agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainees",
    )
    institution_other = models.CharField(
        _("institution or agency (not listed)"), max_length=200, blank=True
    )
    rank_or_position = models.CharField(_("rank or position"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("trainee profile")
        verbose_name_plural = _("trainee profiles")
        constraints = [
            # A name: a given name, a family name or both (a name of one word is a family
            # name alone) ...
            models.CheckConstraint(
                name="profile_names_not_empty",
                condition=~models.Q(given_name="") | ~models.Q(family_name=""),
            ),
            # ... and in Latin letters the same parts: each Latin part is filled exactly
            # when its native part is.
            models.CheckConstraint(
                name="profile_latin_names_match",
                condition=(
                    (models.Q(given_name="") & models.Q(given_name_latin=""))
                    | (~models.Q(given_name="") & ~models.Q(given_name_latin=""))
                )
                & (
                    (models.Q(family_name="") & models.Q(family_name_latin=""))
                    | (~models.Q(family_name="") & ~models.Q(family_name_latin=""))
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    # The one place a person's name is put together from its parts: every page, export,
    # e-mail and certificate uses these.
    def _in_order(self, given: str, family: str) -> str:
        if self.name_order == self.NameOrder.FAMILY_FIRST:
            return _joined(family, given)
        return _joined(given, family)

    @property
    def full_name(self) -> str:
        """The name in the person's own script, in their order: "ნინო კაპანაძე", "김민준"."""
        return self._in_order(self.given_name, self.family_name)

    @property
    def latin_name(self) -> str:
        """The name in Latin letters, in the same order: "Nino Kapanadze", "Kim Min-jun"."""
        return self._in_order(self.given_name_latin, self.family_name_latin)

    @property
    def greeting_name(self) -> str:
        """The name an e-mail greets the person by: the given name, else the whole name."""
        return self.given_name or self.full_name


class NameChange(models.Model):
    """A change to a name as it appears on certificates: who changed it, when, from what."""

    profile = models.ForeignKey(
        TraineeProfile, on_delete=models.CASCADE, related_name="name_changes"
    )
    field = models.CharField(_("field"), max_length=32)
    old_value = models.CharField(_("old value"), max_length=150)
    new_value = models.CharField(_("new value"), max_length=150)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("name change")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"


# ---------------------------------------------------------------------------------------------
# Enrolment and attendance
# ---------------------------------------------------------------------------------------------


# Reasons the platform records by itself are stored as these keys (their English text) and
# shown in the reader's language; reasons people type are kept and shown as typed.
SYSTEM_REASONS = {
    "Enrolled by the organiser.": _("Enrolled by the organiser."),
    "Named trainer of the run.": _("Named trainer of the run."),
    "No longer a trainer of the run.": _("No longer a trainer of the run."),
}


def reason_display(reason: str) -> str:
    """A stored reason in the active language (a system key), or as typed."""
    return str(SYSTEM_REASONS.get(reason, reason))


class Enrolment(models.Model):
    """A person's place (or wish for one) in a course run. Its state changes only through
    trainees.services, and every change is recorded as an EnrolmentTransition."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        WAITLISTED = "waitlisted", _("On the waitlist")
        OFFERED = "offered", _("Offered a place")
        ENROLLED = "enrolled", _("Enrolled")
        REJECTED = "rejected", _("Not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Offer expired")
        CANCELLED = "cancelled", _("Run cancelled")

    class Role(models.TextChoices):
        TRAINEE = "trainee", _("Trainee")
        TRAINER = "trainer", _("Trainer")

    # States that hold one of the run's places (trainees only; trainers need none).
    HOLDS_PLACE = (State.ENROLLED, State.OFFERED)
    ACTIVE = (State.REQUESTED, State.WAITLISTED, State.OFFERED, State.ENROLLED)

    run = models.ForeignKey(
        "courses.CourseRun",
        verbose_name=_("course run"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.TRAINEE)
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    country = models.ForeignKey(
        "pan_network.Country",
        verbose_name=_("country"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The person's country when they enrolled, for quotas and figures."),
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nominations",
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # What the focal point tells the organiser about a nomination. It stays with the enrolment
    # whatever its state, and goes only to the run's coordinators: never to the officer.
    nominator_note = models.CharField(
        _("nominator's note"),
        max_length=500,
        blank=True,
        help_text=_("For the organiser's coordinators only; never shown or sent to the officer."),
    )
    waitlisted_at = models.DateTimeField(_("waitlisted at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["created_at", "pk"]
        constraints = [
            # One enrolment per person and run, however many requests arrive at once.
            models.UniqueConstraint(fields=["run", "user"], name="one_enrolment_per_person"),
        ]
        indexes = [
            models.Index(fields=["run", "state"]),
            models.Index(fields=["state", "offer_expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.run_id} · {self.get_state_display()}"

    @property
    def holds_place(self) -> bool:
        return self.role == self.Role.TRAINEE and self.state in self.HOLDS_PLACE

    @property
    def reason_display(self) -> str:
        return reason_display(self.reason)


class EnrolmentTransition(models.Model):
    """Who moved an enrolment from one state to another, when and why."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("from"), max_length=16, blank=True)
    to_state = models.CharField(_("to"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the platform did it (waitlist promotion, expiry)."),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment transition")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state or '∅'} → {self.to_state}"


class Attendance(models.Model):
    """One line of a session's register."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    # Statuses that count as attending when the threshold is checked.
    ATTENDED = (Status.PRESENT, Status.LATE)

    session = models.ForeignKey(
        "courses.Session", on_delete=models.CASCADE, related_name="attendance"
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    via_check_in = models.BooleanField(_("checked in by QR code"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="one_register_line_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.enrolment_id}: {self.status}"


class Notification(models.Model):
    """An e-mail the platform owes someone about an enrolment. The key makes a retried task
    send it once; `sent_at` says it went out."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("Request received")
        ENROLLED = "enrolled", _("Enrolled")
        APPROVED = "approved", _("Request approved")
        REJECTED = "rejected", _("Request not accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        OFFERED = "offered", _("Offered a place")
        PROMOTED = "promoted", _("Promoted from the waitlist")
        NOMINATED = "nominated", _("Nominated")
        EXPIRED = "expired", _("Offer expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REMINDER = "reminder", _("Reminder before the first session")
        SESSIONS_CHANGED = "sessions_changed", _("Sessions changed or cancelled")
        RUN_CANCELLED = "run_cancelled", _("Run cancelled")
        CERTIFICATE = "certificate", _("Certificate issued")
        CERTIFICATE_EXPIRING = "certificate_expiring", _("Certificate about to expire")
        FOLLOW_UP = "follow_up", _("Follow-up questionnaire")
        QUEUE = "queue", _("Requests awaiting a decision (to coordinators)")

    key = models.CharField(max_length=120, unique=True)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="notifications")
    # Empty: the e-mail goes to the enrolled person. Set: to this member of staff (a coordinator
    # told that requests arrived), about the enrolment and the others in `context`.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} → {self.enrolment_id}"


class NominationInvitation(models.Model):
    """A focal point's nomination of an officer who has no account yet: the officer is mailed a
    sign-up link, and once they have an account with this address (verified), the nomination is
    made in their name and waits for the organiser's coordinator."""

    run = models.ForeignKey(
        "courses.CourseRun",
        verbose_name=_("course run"),
        on_delete=models.CASCADE,
        related_name="nomination_invitations",
    )
    email = models.EmailField(_("e-mail address"), max_length=254)
    country = models.ForeignKey(
        "pan_network.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The country the officer serves in, for quotas and figures."),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("nominator's note"), max_length=500, blank=True)
    language = models.CharField(
        _("language of the invitation"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("nomination invitation")
        verbose_name_plural = _("nomination invitations")
        ordering = ["created_at", "pk"]
        constraints = [
            # One invitation per address and run, however often the form is sent (addresses
            # are stored in lower case).
            models.UniqueConstraint(fields=["run", "email"], name="one_invitation_per_address"),
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.run_id}"
