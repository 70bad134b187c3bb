"""Right-to-left text inside left-to-right pages, e-mails and spreadsheets, and a
right-to-left interface language."""

import io

import pytest
from django.core import mail
from django.template import Context, Template
from django.utils import translation
from openpyxl import load_workbook

from certificates import services as certificate_services
from certificates.models import CertificateRule, CertificateTemplate, CertificateText
from core import exports
from core.text import has_right_to_left, isolate
from network import services as network_services
from trainees import services as trainee_services

from ..auth_helpers import staff_login
from ..factories import UserFactory, course_run, trainee

pytestmark = pytest.mark.django_db

ARABIC_NAME = ("محمد", "نوری\u200cزاده")


def _arabic_trainee():
    person = trainee()
    profile = person.trainee_profile
    profile.given_name, profile.family_name = ARABIC_NAME
    profile.save()
    return person


def test_isolates_only_where_text_runs_right_to_left():
    assert isolate("Nino Kapanadze") == "Nino Kapanadze"
    assert isolate("محمد (3)") == "\u2068محمد (3)\u2069"
    assert has_right_to_left("יוסף") and not has_right_to_left("山田")


def test_the_bdi_filter_isolates_and_escapes():
    rendered = Template("{% load text_tags %}{{ value|bdi }}").render(Context({"value": "<محمد>"}))
    assert rendered == "<bdi>&lt;محمد&gt;</bdi>"
    assert Template("{% load text_tags %}{{ value|bdi }}").render(Context({"value": ""})) == ""


def test_the_verification_page_isolates_the_holders_name(client, course, academy):
    run = course_run(course, academy, sessions=1, start_in_days=-5, capacity=10)
    template = CertificateTemplate.objects.create(institution=academy, name="RTL")
    CertificateText.objects.create(template=template, language="en", body="Awarded to {name}.")
    CertificateRule.objects.create(
        run=run, kind="participation", template=template, min_attendance=0
    )
    person = _arabic_trainee()
    trainee_services.enrolments_import(run=run, rows=[{"email": person.email}], actor=None)
    [certificate] = certificate_services.certificates_issue(
        run=run, kind="participation", check_rules=False
    )
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "<bdi>محمد نوری\u200cزاده</bdi> (<bdi>" in page


def test_staff_tables_isolate_names_and_titles(client, course, academy):
    coordinator = UserFactory()
    network_services.membership_grant(user=coordinator, role="coordinator", institution=academy)
    run = course_run(course, academy, sessions=1, start_in_days=3, capacity=10)
    person = _arabic_trainee()
    trainee_services.enrolments_import(run=run, rows=[{"email": person.email}], actor=None)
    staff_login(client, coordinator)
    session = run.sessions.first()
    register = client.get(f"/manage/sessions/{session.pk}/register/").content.decode()
    assert "<bdi>محمد نوری\u200cزاده</bdi>" in register


def test_e_mails_isolate_right_to_left_names(course, academy, django_capture_on_commit_callbacks):
    run = course_run(course, academy, sessions=1, start_in_days=3, capacity=10)
    person = _arabic_trainee()
    with django_capture_on_commit_callbacks(execute=True):
        trainee_services.enrolments_import(run=run, rows=[{"email": person.email}], actor=None)
    [message] = [m for m in mail.outbox if m.to == [person.email]]
    assert "\u2068محمد\u2069" in message.body  # "Dear ⁨محمد⁩," keeps its comma after the name


def test_spreadsheet_cells_with_right_to_left_text_read_right_to_left():
    response = exports.xlsx_response(
        [("People", ["Name", "Country"], [["محمد نوری\u200cزاده", "AF"], ["Nino", "GE"]])],
        filename="people.xlsx",
    )
    sheet = load_workbook(io.BytesIO(response.content))["People"]
    assert sheet["A2"].value == "محمد نوری\u200cزاده"  # unchanged, joiner included
    assert sheet["A2"].alignment.readingOrder == 2
    assert sheet["A3"].alignment.readingOrder == 0 and sheet["B2"].alignment.readingOrder == 0


def test_a_right_to_left_language_turns_the_page(client, settings):
    """The interface is ready for a right-to-left language: ``dir`` follows the language."""
    assert 'dir="ltr"' in client.get("/en/verify/").content.decode()
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "Arabic")]
    page = client.get("/ar/verify/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    translation.activate("en")


def test_the_style_sheet_uses_logical_directions():
    """No physical left/right in the site's CSS: margins, paddings, borders and alignment
    follow the writing direction."""
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/site.css").read_text()
    import re

    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)|text-align:\s*(?:left|right)"
        r"|(?<![-\w])(?:left|right)\s*:",
        css,
    )
    assert physical == []
