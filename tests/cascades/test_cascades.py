"""Training-of-trainers cascades: links from trainer certificates, generations, figures by
gender, what each viewer may see, exports, cycles refused, revocations followed."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from cascades import selectors, services
from cascades.models import CascadeLink
from certificates import services as certificate_services
from certificates.models import CertificateRule, CertificateTemplate, CertificateText
from network import services as network_services
from network.models import Country
from reports import services as report_services
from trainees import selectors as trainee_selectors
from trainees import services as trainee_services

from ..auth_helpers import staff_login
from ..factories import UserFactory, course_run, trainee, trainer_certificates

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(course, academy):
    template = CertificateTemplate.objects.create(institution=academy, name="ToT")
    CertificateText.objects.create(template=template, language="en", body="{name}")
    ana, boris = trainee("RS", first_name="Ana"), trainee("GE", first_name="Boris")
    tot = course_run(course, academy, sessions=2, start_in_days=-90, is_training_of_trainers=True)
    trainer_certificates(tot, template, [ana, boris])
    # Generation 1: Ana trains a national ToT in Georgia; Nino (a woman) and Giorgi take part.
    georgia = Country.objects.get(code="GE")
    nino = trainee("GE", first_name="Nino")
    giorgi = trainee("GE", first_name="Giorgi")
    profile = giorgi.trainee_profile
    profile.gender = "man"
    profile.save()
    first = course_run(
        course,
        academy,
        sessions=2,
        start_in_days=-50,
        trainers=[ana],
        host_country=georgia,
        language="ka",
        is_training_of_trainers=True,
    )
    trainer_certificates(first, template, [nino, giorgi])
    # Generation 2: Nino trains officers in Georgia.
    second = course_run(
        course, academy, sessions=1, start_in_days=-10, trainers=[nino], host_country=georgia
    )
    officers = [trainee("GE") for _ in range(3)]
    trainee_services.enrolments_import(
        run=second, rows=[{"email": p.email} for p in officers], actor=None
    )
    report_services.tallies_rebuild()
    return {"tot": tot, "first": first, "second": second, "ana": ana, "template": template}


def test_runs_link_to_the_tot_that_certified_their_trainer(network):
    links = {(link.parent_run_id, link.run_id) for link in CascadeLink.objects.all()}
    assert links == {
        (network["tot"].pk, network["first"].pk),
        (network["first"].pk, network["second"].pk),
    }
    data = selectors.cascade(root=network["tot"])
    assert data["summary"]["generations"] == 2
    assert data["summary"]["runs"] == 2
    assert data["summary"]["trainees"] == 5  # Nino, Giorgi and three officers
    assert data["summary"]["countries"] == 1
    assert data["summary"]["languages"] == 2  # Georgian, then English
    # The factory's trainees are women unless changed: Giorgi is the one man of five.
    assert data["summary"]["women_share"] == 80
    assert [(g["generation"], g["runs"], g["participants"]) for g in data["generations"]] == [
        (0, 1, 2),
        (1, 1, 2),
        (2, 1, 3),
    ]
    [top] = data["top"]
    assert [n.run.pk for n in top.children] == [network["first"].pk]
    first = data["nodes"][network["first"].pk]
    assert (first.women, first.men, first.participants, first.certified) == (1, 1, 2, 2)
    assert first.attendance_rate == 100


def test_a_revoked_trainer_certificate_unlinks_the_runs_it_carried(network, academy):
    from certificates.models import Certificate

    ana_certificate = Certificate.objects.get(user=network["ana"], run=network["tot"])
    certificate_services.certificate_revoke(
        certificate=ana_certificate, actor=UserFactory(), reason="Did not complete the ToT"
    )
    assert not CascadeLink.objects.filter(run=network["first"]).exists()
    assert selectors.cascade(root=network["tot"])["summary"]["runs"] == 0


def test_cycles_are_refused(network):
    organiser = UserFactory()
    network_services.membership_grant(user=organiser, role="organiser")
    with pytest.raises(ValidationError) as error:
        services.link_attach(run=network["tot"], parent_run=network["second"], actor=organiser)
    assert "cycle" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        services.link_attach(run=network["tot"], parent_run=network["tot"], actor=organiser)
    coordinator = UserFactory()
    with pytest.raises(ValidationError):
        services.link_attach(run=network["second"], parent_run=network["tot"], actor=coordinator)


def test_cascade_costs_the_same_queries_deeper(network, django_assert_num_queries, course, academy):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as shallow:
        selectors.cascade(root=network["tot"])
    # Two more generations below the second run.
    nino = network["second"].trainers.get()
    second = network["second"]
    second.is_training_of_trainers = True
    second.save()
    officers = list(trainee_selectors.certifiable_enrolments(run=second))
    for session in second.sessions.all():
        trainee_services.register_save(
            session=session, entries={e.pk: ("present", "") for e in officers}, actor=None
        )
    CertificateRule.objects.create(
        run=second, kind="trainer", template=network["template"], min_attendance=50
    )
    issued = certificate_services.certificates_issue(run=second, kind="trainer")
    third = course_run(course, academy, sessions=1, start_in_days=-2, trainers=[issued[0].user])
    assert CascadeLink.objects.filter(run=third, parent_run=second).exists()
    report_services.tallies_rebuild()
    with CaptureQueriesContext(connection) as deep:
        data = selectors.cascade(root=network["tot"])
    assert data["summary"]["generations"] == 3
    assert len(deep.captured_queries) == len(shallow.captured_queries)
    assert nino


def _staff(role, **scope):
    user = UserFactory()
    network_services.membership_grant(user=user, role=role, **scope)
    return user


def test_organiser_sees_everything_and_exports(client, network):
    staff_login(client, _staff("organiser"))
    page = client.get(f"/manage/cascades/{network['tot'].pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-chart="reach-data"' in body and "Trainees reached" in body
    assert network["second"].display_title in body
    xlsx = client.get(f"/manage/cascades/{network['tot'].pk}/?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content))["Runs"]
    assert sheet.max_row == 4  # header, the ToT and two generations
    exported = json.loads(client.get(f"/manage/cascades/{network['tot'].pk}/?format=json").content)
    assert {"run": network["second"].pk, "parents": [network["first"].pk]} in exported["links"]
    assert exported["summary"]["trainees"] == 5
    assert client.get(f"/manage/cascades/{network['tot'].pk}/?format=pdf").status_code == 404


def test_focal_point_sees_only_their_country_with_small_cells_suppressed(client, network):
    serbia = Country.objects.get(code="RS")
    staff_login(client, _staff("focal_point", country=serbia))
    body = client.get(f"/manage/cascades/{network['tot'].pk}/").content.decode()
    assert network["second"].display_title not in body  # held in Georgia
    assert "neither shown nor counted here" in body
    georgia = Country.objects.get(code="GE")
    staff_login(client, _staff("focal_point", country=georgia))
    exported = json.loads(client.get(f"/manage/cascades/{network['tot'].pk}/?format=json").content)
    assert exported["summary"]["trainees"] == 5
    second = next(r for r in exported["runs"] if r["Run"] == network["second"].display_title)
    assert second["Participants"] == "<5"


def test_coordinators_of_other_institutions_are_refused(client, network, other_academy):
    staff_login(client, _staff("coordinator", institution=other_academy))
    assert client.get(f"/manage/cascades/{network['tot'].pk}/").status_code == 403
    listing = client.get("/manage/cascades/").content.decode()
    assert network["tot"].display_title not in listing


def test_organiser_attaches_a_run_by_hand_and_a_cycle_is_refused(client, network, course, academy):
    organiser = _staff("organiser")
    staff_login(client, organiser)
    extra = course_run(course, academy, sessions=1, start_in_days=-5)
    page = client.get(f"/manage/cascades/{network['tot'].pk}/").content.decode()
    assert f"/manage/cascades/{network['tot'].pk}/attach/" in page
    form = client.get(f"/manage/cascades/{network['tot'].pk}/attach/").content.decode()
    assert f'value="{extra.pk}"' in form
    assert f'value="{network["second"].pk}"' not in form  # in a cascade already
    done = client.post(
        f"/manage/cascades/{network['tot'].pk}/attach/", {"run": extra.pk}, follow=True
    )
    assert "is attached to this cascade" in done.content.decode()
    assert CascadeLink.objects.filter(run=extra, parent_run=network["tot"], source="manual")
    # Attaching the ToT below a run that grew from it is refused, with the reason.
    refused = client.post(
        f"/manage/cascades/{network['second'].pk}/attach/", {"run": network["tot"].pk}, follow=True
    )
    assert "would make a cycle" in refused.content.decode()
    assert not CascadeLink.objects.filter(run=network["tot"]).exists()
    assert (
        client.post(f"/manage/cascades/{network['tot'].pk}/attach/", {"run": "x"}).status_code
        == 302
    )


def test_deeper_runs_open_from_the_run_they_grew_from(client, network):
    from cascades.selectors import SHOWN_LEVELS

    staff_login(client, _staff("organiser"))
    root = network["tot"].pk
    below = client.get(
        f"/manage/cascades/{root}/below/{network['first'].pk}/", HTTP_X_REQUESTED_WITH="fetch"
    )
    assert below.status_code == 200
    fragment = below.content.decode()
    assert fragment.startswith("<ul") and network["second"].display_title in fragment
    assert "generation 2" in fragment  # numbered from the root, not from the node opened
    page = client.get(f"/manage/cascades/{root}/below/{network['first'].pk}/")
    assert "<html" in page.content.decode()
    outsider = course_run(network["tot"].course, network["tot"].organiser, start_in_days=30)
    assert client.get(f"/manage/cascades/{root}/below/{outsider.pk}/").status_code == 404
    assert SHOWN_LEVELS == 2


def test_a_course_and_a_thematic_area_as_a_whole(client, network, course):
    staff_login(client, _staff("organiser"))
    page = client.get(f"/manage/cascades/courses/{course.pk}/")
    assert page.status_code == 200
    assert page.context["summary"]["trainees"] == 5 and page.context["summary"]["runs"] == 2
    theme = client.get("/manage/cascades/themes/cybercrime/")
    assert theme.context["summary"]["trainees"] == 5
    assert client.get("/manage/cascades/themes/no-such-area/").status_code == 404
    workbook = load_workbook(
        io.BytesIO(client.get("/manage/cascades/themes/cybercrime/?format=xlsx").content)
    )
    assert workbook.sheetnames == ["Runs", "Generations", "Countries", "Reach over time"]


def test_an_earlier_tot_roots_the_runs_attached_to_it(client, network, course, academy):
    from cascades.models import ExternalTraining

    organiser = _staff("organiser")
    staff_login(client, organiser)
    refused = client.post(
        "/manage/cascades/earlier/",
        {"title": "Cybercrime ToT", "organiser": "OSCE", "country": "", "year": "1890"},
        follow=True,
    )
    text = refused.content.decode()
    assert "Give the year it was held" in text and "Country" in text
    assert not ExternalTraining.objects.exists()
    serbia = Country.objects.get(code="RS")
    created = client.post(
        "/manage/cascades/earlier/",
        {"title": "Cybercrime ToT 2015", "organiser": "OSCE Mission", "country": serbia.pk,
         "year": "2015"},
    )  # fmt: skip
    external = ExternalTraining.objects.get()
    assert created["Location"] == f"/manage/cascades/earlier/{external.pk}/"
    # The ToT of the network fixture is attached to it: its whole tree follows.
    client.post(created["Location"] + "attach/", {"run": network["tot"].pk})
    page = client.get(created["Location"])
    assert page.status_code == 200
    summary = page.context["summary"]
    assert summary["runs"] == 3 and summary["generations"] == 3
    assert summary["trainees"] == 7  # Ana and Boris at generation 1, then five
    coordinator = _staff("coordinator", institution=academy)
    staff_login(client, coordinator)
    assert client.get(created["Location"]).status_code == 403
    assert client.post("/manage/cascades/earlier/", {"title": "x"}).status_code == 403


def test_the_trainer_registry_and_a_trainers_choice_to_be_listed(client, network, other_academy):
    ana = network["ana"]
    organiser = _staff("organiser")
    staff_login(client, organiser)
    page = client.get("/manage/trainers/")
    names = [t.user for t in page.context["page"]]
    assert ana in names and len(names) == 4  # Ana, Boris, Nino, Giorgi
    nino = next(t for t in page.context["page"] if t.user.first_name == "Nino")
    assert [r.pk for r in nino.runs] == [network["second"].pk] and "ka" not in nino.languages
    georgia = client.get("/manage/trainers/?country=GE")
    assert {t.user.first_name for t in georgia.context["page"]} == {"Boris", "Nino", "Giorgi"}
    # Languages come from the runs delivered (Ana taught the Georgian ToT) and the trainer's own.
    georgian = client.get("/manage/trainers/?language=ka")
    assert [t.user for t in georgian.context["page"]] == [ana]
    assert client.get("/manage/trainers/?country=ZZ").status_code == 400
    sheet = load_workbook(io.BytesIO(client.get("/manage/trainers/?format=xlsx").content)).active
    assert sheet.max_row == 5
    # A coordinator elsewhere sees only trainers who chose to be listed.
    staff_login(client, _staff("coordinator", institution=other_academy))
    assert list(client.get("/manage/trainers/").context["page"]) == []
    client.force_login(ana)  # a certified trainer need not hold any staff role
    assert "trainer registry" in client.get("/my/").content.decode()
    saved = client.post("/my/trainer/", {"listed": "on", "languages": ["sr", "en"]})
    assert saved.status_code == 302
    assert client.post("/my/trainer/", {"languages": ["xx"]}).status_code == 200
    staff_login(client, _staff("coordinator", institution=other_academy))
    [listed] = client.get("/manage/trainers/").context["page"]
    assert listed.user == ana and {"en", "sr"} <= set(listed.languages)
