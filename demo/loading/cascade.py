"""Last year's cybercrime training of trainers and the generations of runs that grew from it
(each run linked by its trainer's certificate), with generated officers as participants."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.utils import timezone

from courses.models import CoursePage
from network.models import Country, User

from .base import Loader
from .certificates import cascade_template
from .people import cascade_person


def load_cascade(loader: Loader) -> None:
    from certificates import services as certificate_services
    from certificates.models import Certificate, CertificateRule
    from courses import services as course_services
    from courses.models import CourseRun
    from trainees import services as trainee_services
    from trainees.models import Notification

    cascade = loader.data.cascade
    course = CoursePage.objects.get(locale=loader.locale, slug=cascade["course"])
    countries = {c.code: c for c in Country.objects.all()}
    today = timezone.localdate()
    numbers: Counter = Counter()
    certified: dict[str, dict[str, list]] = {}
    runs = []
    for spec in cascade["runs"]:
        if "trainers" in spec:
            trainers = list(User.objects.filter(email__in=spec["trainers"]))
        else:
            source = spec["trainer_from"]
            trainers = certified[source["run"]][source["country"]][:1]
        run = CourseRun.objects.filter(title=spec["title"]).first()
        if run is None:
            start = today + dt.timedelta(days=spec["start"])
            run = course_services.run_create(
                course=course,
                organiser=loader.institutions[spec["organiser"]],
                title=spec["title"],
                delivery_mode="residential",
                language=spec["language"],
                host_country=countries[spec["country"]],
                venue=spec["title"].rsplit(", ", 1)[-1],
                time_zone="UTC",
                start_date=start,
                end_date=start + dt.timedelta(days=spec["days"] - 1),
                capacity=30,
                enrolment_policy="approval",
                is_training_of_trainers=spec["certify"] > 0,
                trainers=trainers,
                sessions=[
                    {
                        "date": start + dt.timedelta(days=day),
                        "start_time": dt.time(9, 0),
                        "duration_minutes": 360,
                        "topic": f"Day {day + 1}",
                    }
                    for day in range(spec["days"])
                ],
            )
            loader.created["run"] += 1
            people = []
            for code, count in spec["participants"].items():
                for _ in range(count):
                    numbers[code] += 1
                    people.append(cascade_person(loader, code, numbers[code]))
            enrolments = trainee_services.enrolments_import(
                run=run, rows=[{"email": p.email} for p in people], actor=None
            )
            loader.created["enrolment"] += len(enrolments)
            # Those to be certified as trainers attend every day; the others miss the last.
            for index, session in enumerate(run.sessions.order_by("starts_at")):
                entries = {
                    e.pk: ("present" if i < spec["certify"] or index == 0 else "absent", "")
                    for i, e in enumerate(enrolments)
                }
                trainee_services.register_save(session=session, entries=entries, actor=None)
            template = cascade_template(loader, loader.institutions[spec["organiser"]])
            kinds = [("participation", 50)] + ([("trainer", 100)] if spec["certify"] else [])
            for kind, minimum in kinds:
                CertificateRule.objects.get_or_create(
                    run=run, kind=kind, defaults={"template": template, "min_attendance": minimum}
                )
                issued = certificate_services.certificates_issue(run=run, kind=kind)
                loader.created["certificate"] += len(issued)
        else:
            loader.existing["run"] += 1
        runs.append(run)
        holders = defaultdict(list)
        for certificate in (
            Certificate.objects.filter(run=run, kind="trainer", status="valid")
            .select_related("user__trainee_profile__country")
            .order_by("pk")
        ):
            holders[certificate.user.trainee_profile.country.code].append(certificate.user)
        certified[spec["key"]] = holders
    Notification.objects.filter(sent_at=None, enrolment__run__in=runs).update(
        sent_at=timezone.now()
    )
