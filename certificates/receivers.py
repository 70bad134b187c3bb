"""Automatic certificate rules are checked again when what they ask for changes (core.events).
`services.changed` queues the check for after the commit, so these receivers run in the
sender's transaction: a rolled-back change checks nothing."""

from __future__ import annotations

from core import events, hooks

from . import services


def _run_changed(*, run, before, **kwargs) -> None:
    # New or changed certificate rules may already be met by someone.
    if before is not None and not run.is_cancelled:
        services.changed(run_id=run.pk)


def _attendance_recorded(*, run_id, user_id=None, **kwargs) -> None:
    services.changed(run_id=run_id, user_id=user_id)


def _lesson_progress_changed(*, user_id, lesson_id, **kwargs) -> None:
    from trainees import selectors as trainee_selectors

    for run_id in trainee_selectors.enrolled_runs_of_course_lesson(
        user_id=user_id, lesson_id=lesson_id
    ):
        services.changed(run_id=run_id, user_id=user_id)


def connect() -> None:
    events.run_changed.connect(_run_changed, atomic=True)
    events.attendance_recorded.connect(_attendance_recorded, atomic=True)
    events.lesson_progress_changed.connect(_lesson_progress_changed, atomic=True)
    # The course-run form's certificate rules are this app's: their choices and checks.
    hooks.run_form_limit.register(_run_form_limit)
    hooks.run_form_check.register(_run_form_check)
    # Their parts of the run's Manage page and of My learning.
    hooks.run_manage_page.register(_run_manage_part)
    hooks.my_learning_context.register(_my_learning_part)
    hooks.run_page_context.register(_run_page_part)


def _run_manage_part(**kwargs) -> dict:
    from . import views

    return views.run_manage_part(**kwargs)


def _my_learning_part(**kwargs) -> dict:
    from . import views

    return views.my_learning_part(**kwargs)


def _run_form_limit(*, form, institutions, **kwargs) -> dict:
    """The rules' template field offers the person's institutions' templates and the
    network's; any other is refused naming the rule, and where there is none yet the field
    says to make one first. Rows added in the browser are built from the formset's form class
    (its empty form is made anew at each use), so the limit is put on the class too."""
    from django.db.models import Q
    from django.urls import reverse
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    from .models import CertificateTemplate

    rules = form.formsets.get("certificate_rules")
    if rules is None:
        return {}
    templates = CertificateTemplate.objects.all()
    if institutions is not None:
        templates = templates.filter(Q(institution__in=institutions) | Q(institution__isnull=True))
    templates = templates.order_by("name")
    help_text = ""
    if institutions is not None and not templates.exists():
        help_text = format_html(
            '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
            _("Your institution has no certificate template yet, and the network has none."),
            reverse(CertificateTemplate.snippet_viewset.get_url_name("add")),
            _("Make one first (it opens in a new tab), then choose it here."),
        )

    def limit(rule_form) -> None:
        field = rule_form.fields["template"]
        field.queryset = templates
        field.error_messages["invalid_choice"] = _(
            "Choose one of your institution's certificate templates or a network template."
        )
        if help_text:
            field.help_text = help_text

    class LimitedRuleForm(rules.form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            limit(self)

    rules.form = LimitedRuleForm
    for rule_form in rules.forms:
        limit(rule_form)
    return {}


def _run_form_check(*, form, data, **kwargs) -> dict:
    from .models import rule_errors

    rules = form.formsets.get("certificate_rules")
    if rules is None or not hasattr(rules, "cleaned_data"):
        return {}
    organiser = data.get("organiser")
    for rule_form in rules.forms:
        rule = rule_form.cleaned_data if hasattr(rule_form, "cleaned_data") else {}
        if not rule or rule.get("DELETE"):
            continue
        problems = rule_errors(
            kind=rule.get("kind"),
            template=rule.get("template"),
            organiser_id=organiser.pk if organiser is not None else None,
            is_training_of_trainers=bool(data.get("is_training_of_trainers")),
        )
        for field, message in problems.items():
            rule_form.add_error(field, message)
    return {}


def _run_page_part(*, request, run, enrolment, **kwargs) -> dict:
    """The valid certificate a person holds from a run, for its public page (one query)."""
    from .models import Certificate

    certificate = (
        Certificate.objects.filter(
            run_id=run.pk, user_id=enrolment.user_id, status=Certificate.Status.VALID
        )
        .order_by("-issued_at")
        .first()
    )
    return {"certificate": certificate}
