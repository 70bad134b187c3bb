"""A coordinator schedules a run in the Wagtail admin: the certificate templates offered are
their institutions' and the network's, the course chooser opens at their institution, countries
are found by name or code, and the time zone is an IANA name, by default the host country's."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone
from wagtail.models import Locale

from certificates.models import CertificateRule, CertificateTemplate
from courses.models import CoursePage, CourseRun
from network import services as network_services
from network.models import Country, Membership
from network.time_zones import CAPITALS, country_time_zone, time_zone_names

from ..auth_helpers import staff_login
from ..factories import UserFactory

pytestmark = pytest.mark.django_db
NEW = "/admin/course_runs/new/"
TEMPLATE_CHOOSER = "/admin/snippets/choose/certificates/certificatetemplate/"
COUNTRY_CHOOSER = "/admin/snippets/choose/pan_network/country/"


@pytest.fixture
def coordinator(academy):
    user = UserFactory(email="coordinator@example.org")
    network_services.membership_grant(
        user=user, role=Membership.Role.COORDINATOR, institution=academy
    )
    return user


@pytest.fixture
def templates(academy, other_academy):
    return {
        "own": CertificateTemplate.objects.create(institution=academy, name="Academy"),
        "other": CertificateTemplate.objects.create(institution=other_academy, name="Other"),
        "network": CertificateTemplate.objects.create(institution=None, name="Network"),
    }


def run_data(course, academy, **changes) -> dict:
    start = timezone.localdate() + dt.timedelta(days=30)
    data = {
        "course": course.pk,
        "title": "Belgrade, spring",
        "organiser": academy.pk,
        "delivery_mode": "residential",
        "language": "en",
        "host_country": academy.country_id,
        "venue": "Belgrade",
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=1)).isoformat(),
        "time_zone": "",
        "capacity": "18",
        "enrolment_policy": "approval",
        "offer_hours": "48",
        "attendance_threshold": "80",
        "reminder_days": "3",
        "status": "scheduled",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-0-date": start.isoformat(),
        "sessions-0-start_time": "09:00",
        "sessions-0-duration_minutes": "120",
        "sessions-0-ORDER": "1",
    }
    for prefix in ("quotas", "certificate_rules"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    for name in ("quotas", "sessions", "certificate_rules"):
        data[f"{name}-MIN_NUM_FORMS"] = "0"
        data[f"{name}-MAX_NUM_FORMS"] = "1000"
    data.update(changes)
    return data


def with_rule(data: dict, template_id) -> dict:
    return {
        **data,
        "certificate_rules-TOTAL_FORMS": "1",
        "certificate_rules-0-kind": "participation",
        "certificate_rules-0-template": str(template_id),
        "certificate_rules-0-min_attendance": "75",
        "certificate_rules-0-automatic": "on",
    }


def chooser_titles(response) -> list[str]:
    """The choices a chooser modal (JSON) or its results panel (HTML) offers."""
    body = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        body = json.loads(body)["html"]
    return [
        " ".join(t.split()) for t in re.findall(r"data-chooser-modal-choice[^>]*>([^<]*)", body)
    ]


# -- certificate templates ----------------------------------------------------------------------


def test_the_template_chooser_offers_own_and_network_templates_only(
    client, coordinator, academy, templates
):
    staff_login(client, coordinator)
    titles = chooser_titles(client.get(TEMPLATE_CHOOSER))
    assert titles == [f"Academy ({academy.name})", "Network (network template)"]
    assert client.get(f"{TEMPLATE_CHOOSER}chosen/{templates['own'].pk}/").status_code == 200
    assert client.get(f"{TEMPLATE_CHOOSER}chosen/{templates['network'].pk}/").status_code == 200
    assert client.get(f"{TEMPLATE_CHOOSER}chosen/{templates['other'].pk}/").status_code == 404


def test_another_institutions_template_is_refused_with_a_clear_message(
    client, coordinator, course, academy, templates
):
    staff_login(client, coordinator)
    response = client.post(NEW, with_rule(run_data(course, academy), templates["other"].pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Choose one of your institution&#x27;s certificate templates or a network template." in page
    )
    assert "Select a valid choice" not in page
    assert not CourseRun.objects.exists()


@pytest.mark.parametrize("which", ["own", "network"])
def test_own_and_network_templates_are_accepted(
    client, coordinator, course, academy, templates, which
):
    staff_login(client, coordinator)
    response = client.post(NEW, with_rule(run_data(course, academy), templates[which].pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CertificateRule.objects.get().template == templates[which]


def test_the_form_says_when_a_template_must_be_made_first(client, coordinator, templates):
    staff_login(client, coordinator)
    CertificateTemplate.objects.exclude(pk=templates["other"].pk).delete()
    page = client.get(NEW).content.decode()
    add = "/admin/snippets/certificates/certificatetemplate/add/"
    assert "Your institution has no certificate template yet, and the network has none." in page
    # In the rows the browser adds (the formset's empty form) as well.
    empty_form = page[page.index("certificate_rules-__prefix__-template") :]
    assert f'href="{add}"' in empty_form
    # With a template of their own, the form does not ask for one.
    CertificateTemplate.objects.create(institution=coordinator.memberships.get().institution)
    assert "has no certificate template yet" not in client.get(NEW).content.decode()


def test_a_coordinator_makes_templates_for_their_institution_only(client, coordinator, academy):
    staff_login(client, coordinator)
    add = "/admin/snippets/certificates/certificatetemplate/add/"
    data = {
        "institution": "",
        "name": "Mine",
        "orientation": "landscape",
        "primary_colour": "#1F3A5F",
        "accent_colour": "#B08D57",
        "logos-count": "0",
        "texts-TOTAL_FORMS": "1",
        "texts-INITIAL_FORMS": "0",
        "texts-MIN_NUM_FORMS": "1",
        "texts-MAX_NUM_FORMS": "1000",
        "texts-0-language": "en",
        "texts-0-participation_title": "Certificate of participation",
        "texts-0-completion_title": "Certificate of completion",
        "texts-0-trainer_title": "Trainer certificate",
        "texts-0-body": "{name} took part in {course}.",
        "texts-0-ORDER": "1",
        "signatories-TOTAL_FORMS": "0",
        "signatories-INITIAL_FORMS": "0",
        "signatories-MIN_NUM_FORMS": "0",
        "signatories-MAX_NUM_FORMS": "4",
        "sample_name": "",
    }
    response = client.post(add, data)
    assert response.status_code == 200
    assert "network templates are made by the network" in response.content.decode()
    assert not CertificateTemplate.objects.exists()
    response = client.post(add, {**data, "institution": academy.pk})
    assert response.status_code == 302
    assert CertificateTemplate.objects.get().institution == academy


def test_network_templates_are_kept_by_organisers(client, coordinator, academy, templates):
    network = templates["network"]
    edit = f"/admin/snippets/certificates/certificatetemplate/edit/{network.pk}/"
    staff_login(client, coordinator)
    assert client.get(edit).status_code in {302, 403}
    organiser = UserFactory()
    network_services.membership_grant(user=organiser, role=Membership.Role.ORGANISER)
    staff_login(client, organiser)
    assert client.get(edit).status_code == 200


# -- course, organiser and country choosers -----------------------------------------------------


def test_the_course_chooser_opens_at_the_coordinators_institution(client, coordinator, academy):
    staff_login(client, coordinator)
    page = client.get(NEW).content.decode()
    [init] = re.findall(r'new CourseChooser\("id_course", (\{.*?\})\);', page)
    options = json.loads(init)
    assert options["startParentId"] == academy.page_id
    assert options["modelNames"] == ["courses.coursepage"]
    assert "courses/course-chooser.js" in page
    # The institution is chosen already: it is the coordinator's only one.
    assert re.search(rf'<option value="{academy.pk}" selected>', page)


def test_a_translated_course_stands_for_its_original(client, coordinator, course, academy):
    russian = course.copy_for_translation(Locale.objects.get(language_code="ru"), copy_parents=True)
    russian.save_revision().publish()
    staff_login(client, coordinator)
    response = client.post(NEW, {**run_data(course, academy), "course": russian.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CourseRun.objects.get().course_id == course.pk


def test_an_unpublished_course_is_refused_naming_the_rule(client, coordinator, course, academy):
    CoursePage.objects.filter(pk=course.pk).update(live=False)
    staff_login(client, coordinator)
    response = client.post(NEW, run_data(course, academy))
    assert "Choose a published course: this one is not published." in response.content.decode()
    assert not CourseRun.objects.exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [("serb", ["Serbia"]), ("SRB", ["Serbia"]), ("geo", ["Georgia"]),
     # The country of the code first, then names that start with it, then names with it.
     ("ge", ["Georgia", "Germany", "Algeria"]), ("ma", ["Morocco", "Malta", "Denmark", "Germany"])],
)  # fmt: skip
def test_countries_are_found_by_name_or_code(client, coordinator, query, expected):
    staff_login(client, coordinator)
    response = client.get(f"{COUNTRY_CHOOSER}results/", {"q": query})
    assert chooser_titles(response)[: len(expected)] == expected
    # The modal has the search box.
    assert 'name="q"' in json.loads(client.get(COUNTRY_CHOOSER).content)["html"]


def test_countries_are_found_by_their_name_in_the_interfaces_language(client, coordinator):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(coordinator)
    profile.preferred_language = "ru"
    profile.save()
    staff_login(client, coordinator)
    response = client.get(f"{COUNTRY_CHOOSER}results/", {"q": "серб"})
    assert chooser_titles(response) == ["Сербия"]
    response = client.get(f"{COUNTRY_CHOOSER}results/", {"q": "serb"})
    assert chooser_titles(response) == ["Сербия"]


def test_the_country_search_costs_a_constant_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    staff_login(client, coordinator)
    client.get(f"{COUNTRY_CHOOSER}results/", {"q": "a"})
    with django_assert_max_num_queries(12):
        assert client.get(f"{COUNTRY_CHOOSER}results/", {"q": "a"}).status_code == 200


# -- time zones ---------------------------------------------------------------------------------


def test_the_time_zone_is_a_choice_of_iana_names(client, coordinator):
    staff_login(client, coordinator)
    page = client.get(NEW).content.decode()
    select = re.search(r'<select name="time_zone".*?</select>', page, re.S).group(0)
    values = re.findall(r'<option value="([^"]*)"', select)
    assert values[0] == ""  # the host country's, selected for a new run
    assert re.search(r'<option value="" selected>', select)
    assert values[1:] == sorted(values[1:])
    assert {"Europe/Belgrade", "Asia/Almaty", "America/Toronto", "UTC"} <= set(values)
    assert "Europe/Kiev" not in values  # the database's old aliases are left out


@pytest.mark.parametrize(
    ("host", "mode", "zone"),
    [("RS", "residential", "Europe/Belgrade"), ("RU", "residential", "Europe/Moscow"),
     ("KZ", "blended", "Asia/Almaty"), (None, "online", "Europe/Belgrade")],
)  # fmt: skip
def test_the_default_time_zone_is_the_host_countrys(
    client, coordinator, course, academy, host, mode, zone
):
    staff_login(client, coordinator)
    host_id = Country.objects.get(code=host).pk if host else ""
    response = client.post(NEW, run_data(course, academy, host_country=host_id, delivery_mode=mode))
    assert response.status_code == 302, response.content.decode()[:2000]
    run = CourseRun.objects.get()
    assert run.time_zone == zone
    # Sessions are in that zone: 09:00 in Belgrade is 08:00 UTC (winter) or 07:00 (summer).
    session = run.sessions.get()
    assert session.starts_at.astimezone(run.tz).hour == 9


def test_a_chosen_time_zone_is_kept_and_an_unknown_one_refused(
    client, coordinator, course, academy
):
    staff_login(client, coordinator)
    response = client.post(NEW, run_data(course, academy, time_zone="Mars/Olympus_Mons"))
    assert "“Mars/Olympus_Mons” is not a time zone of the list" in response.content.decode()
    assert not CourseRun.objects.exists()
    response = client.post(NEW, run_data(course, academy, time_zone="Asia/Tbilisi"))
    assert response.status_code == 302
    run = CourseRun.objects.get()
    assert run.time_zone == "Asia/Tbilisi"
    # Editing shows the zone the run has, not the host country's.
    page = client.get(f"/admin/course_runs/edit/{run.pk}/").content.decode()
    assert '<option value="Asia/Tbilisi" selected>' in page


def test_every_country_of_the_network_has_a_time_zone():
    names = set(time_zone_names())
    for code in Country.objects.values_list("code", flat=True):
        assert country_time_zone(code) in names, code
    assert set(CAPITALS.values()) <= names
    assert country_time_zone("RS") == "Europe/Belgrade"
    assert country_time_zone("ua") == "Europe/Kyiv"
    assert country_time_zone(None) == country_time_zone("XX") == "UTC"
