"""Nominations by a national focal point: the note for the organiser (kept for the coordinators,
never told to the officer), the coordinators told when requests arrive, several officers
nominated at once, and officers without an account invited to sign up."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from network import privacy
from network import services as network_services
from network.models import Country, User
from trainees import services
from trainees.models import Enrolment, EnrolmentTransition, NominationInvitation, Notification

from ..auth_helpers import staff_login
from ..factories import UserFactory, course_run, trainee

pytestmark = pytest.mark.django_db
S = Enrolment.State
NOTE = "Heads the precursor unit; speaks Russian only"


@pytest.fixture
def coordinator(academy):
    user = UserFactory(email="coordinator@example.org")
    network_services.membership_grant(user=user, role="coordinator", institution=academy)
    return user


@pytest.fixture
def focal_point():
    user = UserFactory(email="focal.ge@example.org", first_name="Nino", last_name="Focal")
    network_services.membership_grant(
        user=user, role="focal_point", country=Country.objects.get(code="GE")
    )
    return user


@pytest.fixture
def run(course, academy):
    return course_run(course, academy, enrolment_policy="nomination", title="Precursors, Belgrade")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def call(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return call


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


# -- the note ---------------------------------------------------------------------------------


def test_the_note_is_kept_for_the_coordinators_and_never_told_to_the_officer(
    run, focal_point, coordinator, on_commit
):
    officer = trainee("GE", email="officer.ge@example.org")
    enrolment = on_commit(
        services.enrolment_nominate, run=run, user=officer, actor=focal_point, note=NOTE
    )
    enrolment.refresh_from_db()
    assert enrolment.nominator_note == NOTE
    # Not the reason, which the officer is told, nor the history, which they may download.
    assert enrolment.reason == ""
    assert not EnrolmentTransition.objects.filter(reason__contains="precursor").exists()
    [to_officer] = mails_to(officer.email)
    assert to_officer.subject == "You have been nominated: Precursors, Belgrade"
    assert NOTE not in to_officer.body and "Reason" not in to_officer.body
    [to_coordinator] = mails_to(coordinator.email)
    assert to_coordinator.subject == "Requests awaiting your decision: Precursors, Belgrade"
    assert NOTE in to_coordinator.body and "Nominated by Nino Focal" in to_coordinator.body
    assert "/manage/queue/" in to_coordinator.body

    # Approval does not lose it, and tells the officer nothing of it.
    on_commit(services.enrolment_approve, enrolment=enrolment, actor=coordinator)
    enrolment.refresh_from_db()
    assert (enrolment.state, enrolment.nominator_note) == (S.ENROLLED, NOTE)
    assert all(NOTE not in m.body for m in mails_to(officer.email))
    assert len(mails_to(officer.email)) == 2

    # Their personal data holds no trace of it, nor of the coordinators' e-mails.
    exported = str(privacy.personal_data(user=officer))
    assert "precursor unit" not in exported
    assert "queue" not in exported


def test_a_self_request_after_a_nomination_drops_the_note(course, academy, focal_point):
    run = course_run(course, academy, enrolment_policy="approval")
    officer = trainee("GE")
    enrolment = services.enrolment_nominate(run=run, user=officer, actor=focal_point, note=NOTE)
    services.enrolment_withdraw(enrolment=enrolment, actor=officer)
    again = services.enrolment_request(run=run, user=officer)
    again.refresh_from_db()
    assert (again.state, again.nominated_by, again.nominator_note) == (S.REQUESTED, None, "")


def test_erasure_removes_the_note_and_the_invitations(run, focal_point):
    officer = trainee("GE")
    enrolment = services.enrolment_nominate(run=run, user=officer, actor=focal_point, note=NOTE)
    NominationInvitation.objects.create(
        run=run, email=officer.email, country=Country.objects.get(code="GE"), note=NOTE
    )
    services.personal_data_erase(user=officer)
    enrolment.refresh_from_db()
    assert enrolment.nominator_note == ""
    assert not NominationInvitation.objects.exists()


# -- coordinators told --------------------------------------------------------------------------


def test_coordinators_are_told_once_of_requests_on_approval_runs_only(
    course, academy, other_academy, coordinator, on_commit
):
    stranger = UserFactory()
    network_services.membership_grant(user=stranger, role="coordinator", institution=other_academy)
    approval = course_run(course, academy, enrolment_policy="approval")
    open_run = course_run(course, academy, enrolment_policy="open")
    person = trainee()
    enrolment = on_commit(services.enrolment_request, run=approval, user=person)
    on_commit(services.enrolment_request, run=open_run, user=trainee())
    [alert] = Notification.objects.filter(kind="queue")
    assert (alert.recipient, alert.enrolment) == (coordinator, enrolment)
    assert len(mails_to(coordinator.email)) == 1 and not mails_to(stranger.email)
    # A repeated call for the same arrival owes nothing more; a retried task sends nothing.
    assert on_commit(services.coordinators_alert, run=approval, enrolments=[enrolment]) == 0
    assert services.notification_send(notification_id=alert.pk) is False
    assert len(mails_to(coordinator.email)) == 1


def test_without_a_coordinator_the_organisers_are_told(course, academy, on_commit):
    organiser = UserFactory()
    network_services.membership_grant(user=organiser, role="organiser")
    run = course_run(course, academy, enrolment_policy="approval")
    on_commit(services.enrolment_request, run=run, user=trainee())
    assert [m.subject.split(":")[0] for m in mails_to(organiser.email)] == [
        "Requests awaiting your decision"
    ]


def test_the_coordinators_mail_is_in_their_language(run, focal_point, on_commit):
    from trainees.models import TraineeProfile

    russian = trainee("RS")
    TraineeProfile.objects.filter(user=russian).update(preferred_language="ru")
    network_services.membership_grant(user=russian, role="coordinator", institution=run.organiser)
    on_commit(
        services.enrolment_nominate, run=run, user=trainee("GE"), actor=focal_point, note=NOTE
    )
    [message] = mails_to(russian.email)
    assert message.subject.startswith("Заявки ждут вашего решения")
    assert NOTE in message.body


# -- several at once ----------------------------------------------------------------------------


def test_addresses_are_read_from_lines_and_commas():
    valid, malformed = services.addresses_parse(
        "A@Example.org, b@example.org\n\n<c@example.org>; a@example.org not-an-address  d@x"
    )
    assert valid == ["a@example.org", "b@example.org", "c@example.org"]
    assert malformed == ["not-an-address", "d@x"]


def test_several_officers_nominated_at_once_each_on_their_own(
    run, focal_point, coordinator, on_commit
):
    ticked = [trainee("GE", email=f"ticked{i}@example.org") for i in range(2)]
    typed = trainee("GE", email="typed@example.org")
    serbian = trainee("RS", email="serbian@example.org")
    enrolled = trainee("GE", email="enrolled@example.org")
    services.enrolment_nominate(run=run, user=enrolled, actor=focal_point)
    no_profile = UserFactory(email="noprofile@example.org")
    closed = UserFactory(email="closed@example.org", is_active=False)
    mail.outbox.clear()
    Notification.objects.all().delete()

    outcome = on_commit(
        services.nominations_make,
        run=run,
        actor=focal_point,
        officers=ticked,
        emails=[
            "typed@example.org",
            "ticked0@example.org",  # also ticked: nominated once
            "serbian@example.org",
            "enrolled@example.org",
            "noprofile@example.org",
            "closed@example.org",
            "new.officer@example.org",
        ],
        note=NOTE,
        language="ru",
    )
    assert {e.user for e in outcome.nominated} == {*ticked, typed}
    assert [i.email for i in outcome.invited] == ["new.officer@example.org"]
    refused = dict(outcome.refused)
    assert "only officers whose profile is in your country" in refused[serbian.email]
    assert "already has an enrolment" in refused[enrolled.email]
    assert "not completed their trainee profile" in refused[no_profile.email]
    assert refused[closed.email] == "This account is closed."
    assert len(refused) == 4
    assert not Enrolment.objects.filter(user__in=[serbian, no_profile, closed]).exists()
    nominated = Enrolment.objects.filter(run=run, nominated_by=focal_point, nominator_note=NOTE)
    assert nominated.count() == 3
    # One e-mail to the coordinator for the batch, naming the three, with the note.
    [alert] = mails_to(coordinator.email)
    assert "3 requests for a place in this run have arrived" in alert.body
    assert alert.body.count(NOTE) == 3
    # Each officer told, none of them the note; the invitation in the nominator's language.
    assert len([m for m in mail.outbox if m.subject.startswith("You have been nominated")]) == 3
    [invitation] = mails_to("new.officer@example.org")
    assert invitation.subject.startswith("Вас выдвинули на курс")
    assert "/ru/my/invitations/" in invitation.body
    assert all(NOTE not in m.body for m in mail.outbox if coordinator.email not in m.to)

    # Sent again, nothing is duplicated: each one is reported instead.
    again = on_commit(
        services.nominations_make,
        run=run,
        actor=focal_point,
        officers=ticked,
        emails=["new.officer@example.org"],
        note=NOTE,
    )
    assert not again.nominated and not again.invited
    assert "already invited to this run" in dict(again.refused)["new.officer@example.org"]
    assert NominationInvitation.objects.count() == 1
    assert Enrolment.objects.filter(run=run).count() == 4


def test_too_many_at_once_changes_nothing(run, focal_point):
    addresses = [f"o{i}@example.org" for i in range(services.NOMINATIONS_MAX + 1)]
    with pytest.raises(ValidationError):
        services.nominations_make(run=run, actor=focal_point, emails=addresses)
    assert not NominationInvitation.objects.exists()


def test_an_invitation_needs_the_country_when_the_nominator_has_several(run):
    organiser = UserFactory()
    network_services.membership_grant(user=organiser, role="organiser")
    outcome = services.nominations_make(run=run, actor=organiser, emails=["x@example.org"])
    assert "choose the country they serve in" in dict(outcome.refused)["x@example.org"]
    outcome = services.nominations_make(
        run=run,
        actor=organiser,
        emails=["x@example.org"],
        country=Country.objects.get(code="AM"),
    )
    assert outcome.invited[0].country.code == "AM"


def test_a_closed_run_takes_no_invitation(course, academy, focal_point):
    run = course_run(
        course,
        academy,
        enrolment_policy="nomination",
        enrolment_closes_at=timezone.now() - dt.timedelta(hours=1),
    )
    outcome = services.nominations_make(run=run, actor=focal_point, emails=["x@example.org"])
    assert "has closed" in dict(outcome.refused)["x@example.org"]
    assert not NominationInvitation.objects.exists()


# -- invitations --------------------------------------------------------------------------------


def _invite(run, focal_point, on_commit, address="new.officer@example.org"):
    outcome = on_commit(
        services.nominations_make, run=run, actor=focal_point, emails=[address], note=NOTE
    )
    [invitation] = outcome.invited
    [message] = mails_to(address)
    link = re.search(r"https?://\S+/my/invitations/\S+/", message.body).group(0)
    return invitation, message, link


def test_an_invitation_is_mailed_once_without_the_note(run, focal_point, on_commit):
    invitation, message, link = _invite(run, focal_point, on_commit)
    assert "Nino Focal, national focal point for Georgia, has nominated you" in message.body
    assert NOTE not in message.body and "Precursors, Belgrade" in message.body
    assert services.invitation_send(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1


def test_signing_up_through_the_invitation_makes_the_nomination(
    client, run, focal_point, coordinator, on_commit
):
    _invitation, _message, link = _invite(run, focal_point, on_commit)
    page = client.get(link[link.index("/my/") :])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Create your account" in body and NOTE not in body
    signup_url = re.search(r'href="(/accounts/signup/\?next=[^"]*)"', body).group(1)
    signup = client.get(signup_url).content.decode()
    assert 'value="new.officer@example.org"' in signup
    mail.outbox.clear()
    with_commit = on_commit(
        client.post,
        signup_url,
        {
            "email": "new.officer@example.org",
            "password1": "a long pass phrase 4 you",
            "password2": "a long pass phrase 4 you",
        },
        follow=True,
    )
    assert with_commit.status_code == 200
    officer = User.objects.get(email="new.officer@example.org")
    # The address was verified by the invitation's link: no confirmation mail, signed in.
    assert EmailAddress.objects.get(user=officer).verified
    assert client.session.get("_auth_user_id") == str(officer.pk)
    enrolment = Enrolment.objects.get(run=run, user=officer)
    assert (enrolment.state, enrolment.nominated_by, enrolment.nominator_note) == (
        S.REQUESTED,
        focal_point,
        NOTE,
    )
    assert enrolment.country.code == "GE"
    # On to the profile, which the coordinator needs before approving.
    assert with_commit.redirect_chain[-1][0].startswith("/my/profile/")
    assert "Your nomination for Precursors, Belgrade is recorded" in with_commit.content.decode()
    assert NominationInvitation.objects.get().enrolment == enrolment
    # The coordinator is told; the officer is told too, never the note.
    assert NOTE in mails_to(coordinator.email)[0].body
    assert all(NOTE not in m.body for m in mails_to(officer.email))
    # Approval waits for the profile, and says so.
    with pytest.raises(ValidationError) as error:
        services.enrolment_approve(enrolment=enrolment, actor=coordinator)
    assert "has not completed their trainee profile" in " ".join(error.value.messages)
    services.profile_save(
        user=officer, given_name="Giorgi", family_name="Beridze", given_name_latin="Giorgi",
        family_name_latin="Beridze", gender="man", country_code="GE", institution_other="Police",
    )  # fmt: skip
    services.enrolment_approve(enrolment=enrolment, actor=coordinator)
    enrolment.refresh_from_db()
    assert enrolment.state == S.ENROLLED
    # The link is used up.
    page = client.get(link[link.index("/my/") :])
    assert page.status_code == 302


def test_signing_up_on_ones_own_and_confirming_the_address_makes_the_nomination(
    client, run, focal_point, on_commit
):
    _invite(run, focal_point, on_commit)
    on_commit(
        client.post,
        "/accounts/signup/",
        {
            "email": "New.Officer@example.org",
            "password1": "a long pass phrase 4 you",
            "password2": "a long pass phrase 4 you",
        },
    )
    officer = User.objects.get(email__iexact="new.officer@example.org")
    assert not Enrolment.objects.filter(user=officer).exists()  # not before the address is
    confirmation = next(m for m in mail.outbox if "/accounts/confirm-email/" in m.body)
    url = re.search(r"https?://\S+(/accounts/confirm-email/\S+/)", confirmation.body).group(1)
    on_commit(client.post, url)
    enrolment = Enrolment.objects.get(user=officer)
    assert (enrolment.run, enrolment.nominator_note) == (run, NOTE)


def test_an_invitation_that_cannot_be_taken_up_says_why(client, course, academy, focal_point):
    run = course_run(course, academy, enrolment_policy="nomination")
    [invitation] = services.nominations_make(
        run=run, actor=focal_point, emails=["late@example.org"]
    ).invited
    run.enrolment_closes_at = timezone.now() - dt.timedelta(minutes=1)
    run.save()
    officer = UserFactory(email="late@example.org")
    EmailAddress.objects.create(user=officer, email=officer.email, verified=True, primary=True)
    made, problems = services.invitations_claim(user=officer)
    assert made == [] and "has closed" in problems[0]
    invitation.refresh_from_db()
    assert invitation.claimed_at is not None and invitation.enrolment is None


def test_the_invitation_page_for_each_visitor(client, run, focal_point):
    [invitation] = services.nominations_make(
        run=run, actor=focal_point, emails=["someone@example.org"]
    ).invited
    path = f"/my/invitations/{services.invitation_token(invitation)}/"
    assert client.get("/my/invitations/forged/").status_code == 404
    # An account already uses the address: sign in with it.
    UserFactory(email="someone@example.org")
    page = client.get(path).content.decode()
    assert "An account already uses" in page and "Log in" in page
    # Signed in with another account: the address is not theirs.
    client.force_login(trainee())
    page = client.get(path).content.decode()
    assert "which is not a confirmed address of the account you are signed in with" in page
    assert not Enrolment.objects.filter(run=run).exists()


# -- the pages ----------------------------------------------------------------------------------


def test_the_focal_point_finds_ticks_and_nominates_with_a_note(
    client, run, focal_point, coordinator, on_commit
):
    nino = trainee("GE", first_name="Nino", last_name="Beridze", email="nino@example.org")
    trainee("GE", first_name="Giorgi", last_name="Kapanadze")
    serbian = trainee("RS", first_name="Nino", last_name="Petrović")
    staff_login(client, focal_point)
    page = client.post(
        "/manage/nominations/", {"run": run.pk, "q": "nino", "note": NOTE, "search": "1"}
    )
    body = page.content.decode()
    assert "Beridze" in body and "Kapanadze" not in body
    assert "Petrović" not in body  # not of their country
    assert NOTE in body  # what was typed is kept
    response = on_commit(
        client.post,
        "/manage/nominations/",
        {"run": run.pk, "officers": [nino.pk], "emails": "new@example.org", "note": NOTE},
        follow=True,
    )
    body = response.content.decode()
    assert "Nominated: Nino Beridze." in body
    assert "Invited to sign up: new@example.org." in body
    assert Enrolment.objects.get(user=nino).nominator_note == NOTE
    # A foreign officer's id slipped into the form is refused, naming the field's rule.
    response = client.post(
        "/manage/nominations/", {"run": run.pk, "officers": [serbian.pk], "note": NOTE}
    )
    assert "not one you may nominate" in response.content.decode()
    assert not Enrolment.objects.filter(user=serbian).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"emails": "a@example.org"}, "Choose the course run."),
        ({"run": "RUN"}, "Tick at least one officer or give at least one e-mail address."),
        ({"run": "RUN", "emails": "nobody, at-all"}, "No e-mail address here: “nobody”, “at-all”."),
        ({"run": "RUN", "emails": "a@example.org", "note": "x" * 501}, "at most 500 characters"),
        (
            {"run": "RUN", "emails": " ".join(f"o{i}@example.org" for i in range(101))},
            "Nominate at most 100 officers at once.",
        ),
        ({"run": "999999", "emails": "a@example.org"}, "This run is not open for nominations."),
    ],
)
def test_bad_input_is_refused_naming_the_rule(client, run, focal_point, data, message):
    staff_login(client, focal_point)
    data = {key: (str(run.pk) if value == "RUN" else value) for key, value in data.items()}
    response = client.post("/manage/nominations/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Enrolment.objects.exists() and not NominationInvitation.objects.exists()


def test_refused_addresses_are_listed_and_stay_in_the_form(client, run, focal_point):
    trainee("GE", email="ok@example.org")
    trainee("RS", email="serbian@example.org")
    staff_login(client, focal_point)
    response = client.post(
        "/manage/nominations/",
        {"run": run.pk, "emails": "ok@example.org, serbian@example.org, broken@", "note": NOTE},
    )
    body = response.content.decode()
    assert "Not nominated:" in body
    assert "<strong><bdi>broken@</bdi></strong>: This is not an e-mail address." in body
    assert "serbian@example.org</bdi></strong>: You may nominate only officers" in body
    assert ">\nbroken@\nserbian@example.org</textarea>" in body
    assert Enrolment.objects.get().user.email == "ok@example.org"


def test_only_focal_points_and_organisers_nominate(client, run, coordinator):
    staff_login(client, coordinator)
    assert client.get("/manage/nominations/").status_code == 403
    client.force_login(trainee())
    assert client.get("/manage/nominations/").status_code == 403


def test_the_coordinator_sees_the_note_on_the_queue_and_the_run_page(
    client, run, focal_point, coordinator
):
    officer = trainee("GE", first_name="Tamar", last_name="Gelashvili")
    services.enrolment_nominate(run=run, user=officer, actor=focal_point, note=NOTE)
    staff_login(client, coordinator)
    home = client.get("/manage/").content.decode()
    assert 'class="badge">1<span class="visually-hidden"> request awaits your decision' in home
    queue = client.get("/manage/queue/").content.decode()
    assert NOTE in queue and "by <bdi>Nino Focal</bdi>" in queue
    run_page = client.get(f"/manage/runs/{run.pk}/").content.decode()
    assert NOTE in run_page and "Decide in the enrolment queue" in run_page
    nomination = officer.enrolments.get()
    client.post("/manage/queue/", {"action": "approve", "enrolments": [nomination.pk]})
    assert NOTE in client.get(f"/manage/runs/{run.pk}/").content.decode()
    assert "badge" not in client.get("/manage/").content.decode()

    # The officer's own pages, and the run's trainer, never show it.
    client.force_login(officer)
    assert NOTE not in client.get("/my/").content.decode()
    assert NOTE not in client.get(f"/runs/{run.pk}/").content.decode()
    trainer = trainee()
    network_services.membership_grant(user=trainer, role="trainer", institution=run.organiser)
    run.trainers.add(trainer)
    staff_login(client, trainer)
    page = client.get(f"/manage/runs/{run.pk}/")
    assert page.status_code == 200 and NOTE not in page.content.decode()


def _count(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_pages_cost_the_same_queries_with_more_nominations(
    client, course, academy, run, focal_point, coordinator
):
    from django.test import Client

    def nominate(n):
        other = course_run(course, academy, enrolment_policy="nomination")
        for i in range(n):
            officer = trainee("GE", first_name="Nino", last_name=f"Officer{chr(65 + i)}")
            services.enrolment_nominate(run=run, user=officer, actor=focal_point, note=NOTE)
            services.nominations_make(
                run=other, actor=focal_point, emails=[f"new{run.pk}{other.pk}{i}@example.org"]
            )

    staff_login(client, coordinator)
    focal = Client()
    staff_login(focal, focal_point)
    pages = [
        (client, "/manage/"),
        (client, "/manage/queue/"),
        (client, f"/manage/runs/{run.pk}/"),
        (focal, f"/manage/nominations/?run={run.pk}"),
    ]
    nominate(1)
    few = [_count(who, path) for who, path in pages]
    nominate(6)
    assert [_count(who, path) for who, path in pages] == few


def test_the_search_costs_the_same_queries_with_more_officers(client, run, focal_point):
    staff_login(client, focal_point)

    def searched() -> int:
        data = {"run": run.pk, "q": "nino", "search": "1"}
        client.post("/manage/nominations/", data)
        with CaptureQueriesContext(connection) as queries:
            assert "Officer" in client.post("/manage/nominations/", data).content.decode()
        return len(queries)

    trainee("GE", first_name="Nino", last_name="Officer")
    few = searched()
    for i in range(8):
        trainee("GE", first_name="Nino", last_name=f"Officer{chr(65 + i)}")
    assert searched() == few
