"""Certificate templates, rules on the demo runs, the self-paced run of the demo trainee, and
the certificates the rules already owe (issued as the periodic check would)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from courses.models import CoursePage

from .base import Loader


def template_texts(loader: Loader, template) -> None:
    """The demo's certificate texts (every language of the data) on a new template."""
    from certificates.models import CertificateText

    for language, texts in loader.data.certificate_texts.items():
        CertificateText.objects.create(template=template, language=language, **texts)


def cascade_template(loader: Loader, institution):
    """The institution's certificate template, made with the demo's texts if it has none."""
    from certificates.models import CertificateTemplate

    template = CertificateTemplate.objects.filter(institution=institution).first()
    if template is None:
        template = CertificateTemplate.objects.create(
            institution=institution, name=f"{institution.short_name or institution.name}"
        )
        template_texts(loader, template)
        loader.created["certificate template"] += 1
    return template


def load_certificates(loader: Loader) -> None:
    from certificates import services as certificate_services
    from certificates.models import Certificate, CertificateRule, CertificateTemplate, Signatory
    from courses import services as course_services
    from courses.models import CourseRun
    from trainees import services as trainee_services
    from trainees.models import Enrolment, Notification

    templates = {}
    for data in loader.data.certificate_templates:
        # A template of no institution is the network's own, which every institution may use.
        institution = loader.institutions.get(data.get("institution"))
        template = CertificateTemplate.objects.filter(
            institution=institution, name=data["name"]
        ).first()
        if template is None:
            template = CertificateTemplate.objects.create(
                institution=institution,
                name=data["name"],
                primary_colour=data["primary_colour"],
                accent_colour=data["accent_colour"],
            )
            template_texts(loader, template)
            for order, signatory in enumerate(data["signatories"]):
                Signatory.objects.create(
                    template=template,
                    name=signatory["name"],
                    position=signatory["position"],
                    sort_order=order,
                )
            loader.created["certificate template"] += 1
        else:
            loader.existing["certificate template"] += 1
        templates[data.get("institution")] = template

    users = loader.users()
    plan = [
        (CourseRun.objects.filter(title=run["title"]).first(), run)
        for run in loader.data.runs
        if run.get("certificates")
    ]
    data = loader.data.self_paced_run
    run = CourseRun.objects.filter(title=data["title"]).first()
    if run is None:
        today = timezone.localdate()
        run = course_services.run_create(
            course=CoursePage.objects.get(locale=loader.locale, slug=data["course"]),
            organiser=loader.institutions[data["organiser"]],
            title=data["title"],
            delivery_mode="self_paced",
            language=data["language"],
            host_country=None,
            venue="",
            time_zone="UTC",
            start_date=today - dt.timedelta(days=7),
            end_date=today + dt.timedelta(days=90),
            capacity=200,
            enrolment_policy="open",
            sessions=[],
        )
        loader.created["run"] += 1
    else:
        loader.existing["run"] += 1
    for email in data["enrolled"]:
        if not Enrolment.objects.filter(run=run, user=users[email]).exists():
            trainee_services.enrolment_request(run=run, user=users[email])
            loader.created["enrolment"] += 1
    plan.append((run, data))

    for run, data in plan:
        for rule in data["certificates"]:
            CertificateRule.objects.get_or_create(
                run=run,
                kind=rule["kind"],
                defaults={
                    "template": templates[data["organiser"]],
                    "min_attendance": rule.get("min_attendance", 80),
                    "lessons_required": rule.get("lessons_required", False),
                },
            )
        issued = 0
        for rule in run.certificate_rules.all():
            issued += len(certificate_services.certificates_issue(run=run, kind=rule.kind))
        loader.created["certificate"] += issued
        loader.existing["certificate"] += Certificate.objects.filter(run=run).count() - issued
    # The demo people are fictional: nobody is mailed about what the loader did.
    Notification.objects.filter(sent_at=None, enrolment__run__in=[r for r, _d in plan]).update(
        sent_at=timezone.now()
    )
