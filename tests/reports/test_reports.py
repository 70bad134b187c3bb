"""Network figures: run tallies kept in step, dashboards for the network, an institution and a
country (scopes, small cells, filters, exports, constant queries), and the follow-up
questionnaire ninety days after a run."""

import datetime as dt
import io

import pytest
from django.core import mail
from openpyxl import load_workbook

from network import services as network_services
from network.models import Country
from reports import selectors, services
from reports.models import FollowUp, RunTally
from trainees import services as trainee_services

from ..auth_helpers import staff_login
from ..factories import UserFactory, course_run, trainee

pytestmark = pytest.mark.django_db


def _staff(role, **scope):
    user = UserFactory()
    network_services.membership_grant(user=user, role=role, **scope)
    return user


def _man(country="RS", **kwargs):
    person = trainee(country, **kwargs)
    profile = person.trainee_profile
    profile.gender = "man"
    profile.save()
    return person


@pytest.fixture
def past_run(course, academy):
    """A run of the cybercrime course that ended 100 days ago: three women from Serbia, two
    men from Georgia; four attended both sessions, one only the first."""
    run = course_run(course, academy, sessions=2, start_in_days=-101)
    people = [trainee("RS") for _ in range(3)] + [_man("GE") for _ in range(2)]
    enrolments = trainee_services.enrolments_import(
        run=run, rows=[{"email": p.email} for p in people], actor=None
    )
    first, second = run.sessions.order_by("starts_at")
    trainee_services.register_save(
        session=first, entries={e.pk: ("present", "") for e in enrolments}, actor=None
    )
    trainee_services.register_save(
        session=second,
        entries={e.pk: ("absent" if i == 0 else "present", "") for i, e in enumerate(enrolments)},
        actor=None,
    )
    return run


def test_a_tally_counts_the_run_by_gender_and_country(past_run):
    services.tallies_refresh(run_ids=[past_run.pk])
    rows = {
        (t.gender, t.country.code): (t.enrolled, t.attendance_lines, t.attended)
        for t in RunTally.objects.select_related("country")
    }
    assert rows == {("woman", "RS"): (3, 6, 5), ("man", "GE"): (2, 4, 4)}
    assert RunTally.objects.filter(run_row=True).count() == 1  # counting runs is summing these
    tally = RunTally.objects.first()
    assert tally.start_month == past_run.start_date.replace(day=1)
    assert tally.organiser_id == past_run.organiser_id
    # A run nobody is enrolled in yet still counts as a run, with zeros.
    empty = course_run(past_run.course, past_run.organiser, sessions=1, start_in_days=30)
    services.tallies_refresh(run_ids=[empty.pk])
    [zero] = RunTally.objects.filter(run=empty)
    assert zero.run_row and zero.enrolled == 0 and zero.language == "en"
    empty.delete()
    # Refreshing again changes nothing; a cancelled run counts nothing.
    services.tallies_refresh(run_ids=[past_run.pk])
    assert RunTally.objects.count() == 2
    past_run.status = "cancelled"
    past_run.save()
    services.tallies_refresh(run_ids=[past_run.pk])
    assert not RunTally.objects.exists()


def test_apps_above_read_the_tallies_through_the_selectors(past_run):
    """What cascades read of the tallies: the rows as a subquery another statement joins by its
    column names, and the sums per run and gender."""
    from django.db import connection

    services.tallies_refresh(run_ids=[past_run.pk])
    sql, params = selectors.tally_rows_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT y.gender, SUM(y.enrolled), SUM(y.attended), SUM(CASE WHEN y.run_row THEN 1 "  # noqa: S608
            f"ELSE 0 END) FROM ({sql}) y WHERE y.run_id = %s GROUP BY y.gender ORDER BY y.gender",
            [*params, past_run.pk],
        )
        rows = cursor.fetchall()
    assert [row[:3] for row in rows] == [("man", 2, 4), ("woman", 3, 5)]
    assert sum(row[3] for row in rows) == 1  # one run
    assert set(selectors.tally_rows().query.values_select) == set(selectors.TALLY_ROW_COLUMNS)
    sums = {row["gender"]: row for row in selectors.tally_sums_by_run(run_ids=[past_run.pk])}
    assert (sums["woman"]["enrolled"], sums["woman"]["attendance_lines"]) == (3, 6)
    assert (sums["man"]["certified"], sums["man"]["attended"]) == (0, 4)


def test_services_refresh_the_tallies_once_the_change_is_committed(
    course, academy, django_capture_on_commit_callbacks
):
    run = course_run(course, academy, sessions=1, start_in_days=5)
    person = trainee("RS")
    with django_capture_on_commit_callbacks(execute=True):
        trainee_services.enrolment_request(run=run, user=person)
    assert RunTally.objects.get(run=run).enrolled == 1
    # A change of gender moves the person's runs with it.
    profile = person.trainee_profile
    with django_capture_on_commit_callbacks(execute=True):
        trainee_services.profile_save(
            user=person,
            given_name=profile.given_name,
            family_name=profile.family_name,
            given_name_latin=profile.given_name_latin,
            family_name_latin=profile.family_name_latin,
            gender="undisclosed",
            country_code="RS",
            institution_other="Police",
        )
    assert RunTally.objects.get(run=run).gender == "undisclosed"
    # Many changes in one transaction make one refresh.
    others = [trainee("RS") for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        trainee_services.enrolments_import(
            run=run, rows=[{"email": p.email} for p in others], actor=None
        )
    sent = []
    from reports import tasks

    original = tasks.tallies_refresh.delay
    tasks.tallies_refresh.delay = lambda ids: sent.append(ids)
    try:
        for callback in callbacks:
            callback()
    finally:
        tasks.tallies_refresh.delay = original
    assert sent == [[run.pk]]


def test_the_network_dashboard_shows_figures_by_gender(client, past_run):
    services.tallies_refresh(run_ids=[past_run.pk])
    staff_login(client, _staff("organiser"))
    response = client.get("/manage/reports/")
    assert response.status_code == 200
    totals = response.context["totals"]
    assert (totals["enrolled"], totals["women"], totals["men"]) == (5, 3, 2)
    assert totals["attendance_rate"] == 90 and totals["women_share"] == 60
    body = response.content.decode()
    assert 'data-chart="c-months-data"' in body and "Cybercrime" in body
    themes = {t[0]: t[1] for t in response.context["tables"]["themes"][2]}
    assert themes == {"Cybercrime": 5}
    # Each table downloads as CSV and XLSX, and all of them as one workbook.
    csv = client.get("/manage/reports/?table=countries&format=csv")
    assert csv["Content-Type"] == "text/csv" and "Georgia" in csv.content.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(client.get("/manage/reports/?format=xlsx").content))
    assert len(workbook.sheetnames) == 6
    assert client.get("/manage/reports/?table=nope&format=csv").status_code == 404


def test_dashboard_filters_and_bad_filters(client, past_run):
    services.tallies_refresh(run_ids=[past_run.pk])
    staff_login(client, _staff("organiser"))
    year = past_run.start_date.year
    inside = client.get(f"/manage/reports/?from={year}&to={year}&country=GE")
    assert inside.context["totals"]["enrolled"] == 2
    later = client.get(f"/manage/reports/?from={year + 1}")
    assert later.context["totals"]["enrolled"] == 0
    bad = client.get("/manage/reports/?from=2025-13&country=XX&theme=knitting")
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "is not a year (YYYY) or a month (YYYY-MM)" in text
    assert "“XX” is not a country of the network" in text
    assert "There is no thematic area “knitting”" in text


def test_coordinators_see_their_institution_with_small_cells_suppressed(
    client, past_run, academy, other_academy
):
    services.tallies_refresh(run_ids=[past_run.pk])
    coordinator = _staff("coordinator", institution=academy)
    staff_login(client, coordinator)
    response = client.get("/manage/reports/")
    assert response.status_code == 200
    totals = response.context["totals"]
    assert totals["enrolled"] == 5 and totals["women"] == "<5" and totals["men"] == "<5"
    assert totals["attendance_rate"] == 90  # ten register lines
    assert academy.name in response.content.decode()
    # Another institution's figures are refused, whichever way they are asked for.
    assert client.get(f"/manage/reports/?institution={other_academy.pk}").status_code == 403
    staff_login(client, _staff("coordinator", institution=other_academy))
    assert client.get("/manage/reports/").context["totals"]["enrolled"] == 0


def test_focal_points_see_the_trainees_of_their_country(client, past_run):
    services.tallies_refresh(run_ids=[past_run.pk])
    georgia = Country.objects.get(code="GE")
    staff_login(client, _staff("focal_point", country=georgia))
    response = client.get("/manage/reports/")
    totals = response.context["totals"]
    assert totals["enrolled"] == "<5" and totals["women_share"] is None
    assert client.get("/manage/reports/?country=RS").status_code == 403
    assert client.get("/manage/reports/?country=GE").status_code == 200
    trainee_user = trainee("RS")
    client.force_login(trainee_user)
    assert client.get("/manage/reports/").status_code == 403


def test_the_dashboard_costs_the_same_queries_for_a_bigger_network(
    client, past_run, course, academy, other_academy
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.tallies_rebuild()
    staff_login(client, _staff("organiser"))
    client.get("/manage/reports/")  # the first visit creates the person's admin profile
    with CaptureQueriesContext(connection) as small:
        assert client.get("/manage/reports/").status_code == 200
    for index in range(4):
        run = course_run(course, other_academy, sessions=1, start_in_days=-200 - 40 * index)
        people = [trainee("AM"), _man("KZ")]
        trainee_services.enrolments_import(
            run=run, rows=[{"email": p.email} for p in people], actor=None
        )
    services.tallies_rebuild()
    with CaptureQueriesContext(connection) as big:
        assert client.get("/manage/reports/").context["totals"]["enrolled"] == 13
    assert len(big.captured_queries) == len(small.captured_queries) <= 30


def test_follow_ups_go_out_ninety_days_after_the_run_once(
    past_run, django_capture_on_commit_callbacks
):
    today = past_run.end_date + dt.timedelta(days=90)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.followups_send(today=today) == 5
    assert FollowUp.objects.count() == 5
    assert len(mail.outbox) == 5
    message = mail.outbox[0]
    assert "Three months on" in message.subject and "/follow-up/" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.followups_send(today=today + dt.timedelta(days=1)) == 0
    assert len(mail.outbox) == 5
    # Not before ninety days, and not for runs that ended long before follow-ups began.
    assert services.followups_send(today=today - dt.timedelta(days=1)) == 0


def test_a_participant_answers_from_the_link_without_signing_in(client, past_run):
    services.followups_send(today=past_run.end_date + dt.timedelta(days=90))
    item = FollowUp.objects.order_by("pk").first()
    page = client.get(f"/follow-up/{item.token}/")
    assert page.status_code == 200 and past_run.display_title in page.content.decode()
    refused = client.post(
        f"/follow-up/{item.token}/", {"trained_others": "no", "people_trained": 4}
    )
    assert refused.status_code == 400
    item.refresh_from_db()
    assert item.answered_at is None
    done = client.post(
        f"/follow-up/{item.token}/",
        {"uses_learning": "often", "trained_others": "yes", "people_trained": 12},
        follow=True,
    )
    assert "your answers are recorded" in done.content.decode()
    item.refresh_from_db()
    assert (item.uses_learning, item.trained_others, item.people_trained) == ("often", True, 12)
    contradictory = client.post(
        f"/follow-up/{item.token}/",
        {"uses_learning": "often", "trained_others": "no", "people_trained": 3},
    )
    assert contradictory.status_code == 400
    assert "leave the number of people empty" in contradictory.content.decode()
    assert client.get("/follow-up/not-a-token/").status_code == 404
    services.tallies_refresh(run_ids=[past_run.pk])
    figures = selectors.dashboard(scope={"suppress": False}, filters=selectors.Filters())["totals"]
    assert (figures["followups_sent"], figures["followups_answered"]) == (5, 1)
    assert (figures["trained_others"], figures["people_trained"]) == (1, 12)


def test_the_catalogue_coverage_by_thematic_area_and_country(course, other_academy):
    from ..factories import CoursePageFactory, CurriculumPageFactory

    curriculum = CurriculumPageFactory(parent=other_academy.page)
    CoursePageFactory(parent=curriculum, thematic_areas=["cybercrime", "organized-crime"])
    data = selectors.coverage(scope={}, filters=selectors.Filters())
    themes = {row["theme"]: row for row in data["themes"]}
    assert themes["Cybercrime"]["courses"] == 2
    assert themes["Cybercrime"]["countries"] == ["Georgia", "Serbia"]
    assert "Terrorism and violent extremism" in data["uncovered"]
    georgia = Country.objects.get(code="GE")
    only = selectors.coverage(scope={"countries": {georgia.pk}}, filters=selectors.Filters())
    assert only["courses"] == 1


def test_periods_parse_as_years_or_months():
    filters = selectors.filters_parse({"from": "2024", "to": "2025-03"})
    assert (filters.start, filters.end) == (dt.date(2024, 1, 1), dt.date(2025, 3, 1))
    assert not filters.errors
    backwards = selectors.filters_parse({"from": "2025", "to": "2024"})
    assert "ends before it starts" in backwards.errors["to"]
    assert selectors.filters_parse({"from": "1800"}).errors["from"]


def test_changes_that_come_together_make_one_refresh_per_run(
    settings, course, academy, monkeypatch, django_capture_on_commit_callbacks
):
    from reports import tasks

    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with a broker: refreshes are queued
    queued = []
    monkeypatch.setattr(
        tasks.tallies_refresh, "apply_async", lambda args, countdown: queued.append(args[0])
    )
    run = course_run(course, academy, sessions=1, start_in_days=5)
    for _ in range(3):  # three trainees enrol, one transaction each
        with django_capture_on_commit_callbacks(execute=True):
            trainee_services.enrolment_request(run=run, user=trainee("RS"))
    assert queued == [[run.pk]]
    services.tallies_due_clear(run_ids=[run.pk])  # the refresh starts: later changes queue again
    with django_capture_on_commit_callbacks(execute=True):
        trainee_services.enrolment_request(run=run, user=trainee("RS"))
    assert queued == [[run.pk], [run.pk]]
