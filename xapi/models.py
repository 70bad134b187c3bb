"""The learning record store: statements as received, the indexes queries need, documents
(state, activity and agent profiles), credentials, and the outbox to an external LRS."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Client(models.Model):
    """Credentials an external tool (or a partner) uses for HTTP Basic authentication."""

    class Scope(models.TextChoices):
        ALL = "all", _("Read and write all statements and documents")
        WRITE = "write", _("Write statements and documents")
        READ = "read", _("Read all statements and documents")
        MINE = "mine", _("Write, and read only the statements it wrote")

    name = models.CharField(_("name"), max_length=200)
    key = models.CharField(_("key"), max_length=64, unique=True, editable=False)
    secret_digest = models.CharField(max_length=64, editable=False)
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices, default=Scope.ALL)
    institution = models.ForeignKey(
        "pan_network.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("LRS client")
        verbose_name_plural = _("LRS clients")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def digest(secret: str) -> str:
        # Secrets are long random strings, so a keyed hash is enough (and cheap per request).
        return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()

    def set_secret(self, secret: str | None = None) -> str:
        secret = secret or secrets.token_urlsafe(32)
        self.secret_digest = self.digest(secret)
        return secret

    def check_secret(self, secret: str) -> bool:
        return hmac.compare_digest(self.secret_digest, self.digest(secret))

    @property
    def can_read(self) -> bool:
        return self.scope in (self.Scope.ALL, self.Scope.READ, self.Scope.MINE)

    @property
    def can_write(self) -> bool:
        return self.scope in (self.Scope.ALL, self.Scope.WRITE, self.Scope.MINE)


class LaunchToken(models.Model):
    """A short-lived credential given to one launch of one lesson by one trainee."""

    key = models.CharField(max_length=64, unique=True)
    secret_digest = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="launch_tokens"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", null=True, on_delete=models.CASCADE, related_name="+"
    )
    activity_id = models.CharField(max_length=2048)
    registration = models.UUIDField()
    # cmi5: the token handed out by the fetch URL may be fetched once.
    fetched_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("launch token")
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.activity_id}"


class Statement(models.Model):
    """One statement, stored exactly as the LRS returns it (`data`), with the columns its
    queries filter on."""

    id = models.UUIDField(primary_key=True)
    stored = models.DateTimeField()
    timestamp = models.DateTimeField()
    data = models.JSONField()
    verb_id = models.TextField()
    actor_ifi = models.CharField(max_length=512, blank=True)
    object_ifi = models.CharField(max_length=512, blank=True)
    activity_id = models.TextField(blank=True)
    ref_id = models.UUIDField(null=True)  # the target of a StatementRef object
    registration = models.UUIDField(null=True)
    voided = models.BooleanField(default=False)
    client = models.ForeignKey(Client, null=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    has_attachments = models.BooleanField(default=False)
    # SHA-256 of the statement as sent (without what the LRS adds), to tell a harmless
    # resend of the same id from a conflicting one.
    sent_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("statement")
        indexes = [
            models.Index(fields=["stored", "id"], name="xapi_stmt_stored"),
            models.Index(fields=["actor_ifi", "verb_id", "stored"], name="xapi_stmt_actor_verb"),
            models.Index(fields=["object_ifi", "stored"], name="xapi_stmt_object_agent"),
            models.Index(fields=["verb_id", "stored"], name="xapi_stmt_verb"),
            models.Index(fields=["activity_id", "stored"], name="xapi_stmt_activity"),
            models.Index(fields=["registration", "stored"], name="xapi_stmt_registration"),
            models.Index(fields=["ref_id"], name="xapi_stmt_ref"),
        ]

    def __str__(self) -> str:
        return str(self.id)


class StatementAgent(models.Model):
    """Every agent a statement mentions (for `related_agents`)."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="agents")
    ifi = models.CharField(max_length=512)

    class Meta:
        indexes = [models.Index(fields=["ifi", "statement"], name="xapi_related_agent")]

    def __str__(self) -> str:
        return self.ifi


class StatementActivity(models.Model):
    """Every activity a statement mentions (for `related_activities`)."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="activities")
    activity_id = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["activity_id", "statement"], name="xapi_related_activity")]

    def __str__(self) -> str:
        return self.activity_id


class Attachment(models.Model):
    """The raw content of an attachment, by its SHA-2 digest (shared between statements)."""

    sha2 = models.CharField(max_length=128, primary_key=True)
    content_type = models.CharField(max_length=255)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.sha2


class Activity(models.Model):
    """The canonical definition the LRS knows for an activity id."""

    activity_id = models.TextField(unique=True)
    definition = models.JSONField(default=dict)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.activity_id


class Document(models.Model):
    """A state, activity profile or agent profile document."""

    class Kind(models.TextChoices):
        STATE = "state"
        ACTIVITY_PROFILE = "activity_profile"
        AGENT_PROFILE = "agent_profile"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    document_id = models.TextField()
    activity_id = models.TextField(blank=True)
    agent_ifi = models.CharField(max_length=512, blank=True)
    registration = models.CharField(max_length=36, blank=True)  # "" when not given
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=64)
    updated = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["kind", "activity_id", "agent_ifi", "registration"], name="xapi_doc_scope"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "document_id", "activity_id", "agent_ifi", "registration"],
                name="xapi_document_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.document_id}"


class OutboxEntry(models.Model):
    """A statement owed to the external LRS. Drained in batches by Celery, at least once."""

    statement = models.OneToOneField(Statement, on_delete=models.CASCADE, related_name="outbox")
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.TextField(blank=True)
    # The receiving LRS refused this statement itself (not the connection): it keeps its own
    # backoff when the LRS accepts others again.
    refused = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("statement to forward")
        verbose_name_plural = _("statements to forward")
        ordering = ["next_attempt_at", "pk"]

    def __str__(self) -> str:
        return str(self.statement_id)
