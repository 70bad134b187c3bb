"""The permission matrix: every role against every action, on its own and another institution."""

import pytest

from cascades import permissions as cascade_permissions
from certificates import permissions as certificate_permissions
from courses import permissions as course_permissions
from courses import permissions as run_permissions
from courses.models import ModulePage
from network import permissions, services
from network.models import Membership
from reports import permissions as report_permissions
from trainees import permissions as enrolment_permissions
from trainees import permissions as trainee_permissions

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "trainee", "editor", "coordinator", "trainer", "focal_point", "moderator",
         "organiser", "superuser"]  # fmt: skip


@pytest.fixture
def people(academy, other_academy):
    from django.contrib.auth.models import AnonymousUser

    made = {"anonymous": AnonymousUser(), "trainee": UserFactory()}
    for role in ("editor", "coordinator", "trainer"):
        made[role] = UserFactory()
        services.membership_grant(user=made[role], role=role, institution=academy)
    made["focal_point"] = UserFactory()
    services.membership_grant(user=made["focal_point"], role="focal_point", country=academy.country)
    for role in ("moderator", "organiser"):
        made[role] = UserFactory()
        services.membership_grant(user=made[role], role=role)
    made["superuser"] = UserFactory(is_superuser=True, is_staff=True)
    return made


# Expected answers: (own institution, other institution) for each role.
EDIT = {
    "anonymous": (False, False), "trainee": (False, False), "editor": (True, False),
    "coordinator": (False, False), "trainer": (False, False), "focal_point": (False, False),
    "moderator": (False, False), "organiser": (False, False), "superuser": (True, True),
}  # fmt: skip
# Adapting a course: allowed to an editor for another institution's course, not their own.
ADAPT = {
    "anonymous": (False, False), "trainee": (False, False), "editor": (False, True),
    "coordinator": (False, False), "trainer": (False, False), "focal_point": (False, False),
    "moderator": (False, False), "organiser": (False, False), "superuser": (True, True),
}  # fmt: skip
MODERATE = {role: role in {"moderator", "superuser"} for role in ROLES}
DIRECTORY = {role: role in {"organiser", "superuser"} for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_edit_institution(people, academy, other_academy, role):
    user = people[role]
    own, other = EDIT[role]
    assert permissions.can_edit_institution(user, academy) is own
    assert permissions.can_edit_institution(user, other_academy) is other


@pytest.mark.parametrize("role", ROLES)
def test_adapt_course(people, academy, other_academy, course, role):
    from ..factories import CoursePageFactory, CurriculumPageFactory

    foreign = CoursePageFactory(parent=CurriculumPageFactory(parent=other_academy.page))
    own_expected, other_expected = ADAPT[role]
    assert course_permissions.can_adapt_course(people[role], course) is own_expected
    assert course_permissions.can_adapt_course(people[role], foreign) is other_expected


@pytest.mark.parametrize("role", ROLES)
def test_moderate(people, role):
    assert permissions.can_moderate(people[role]) is MODERATE[role]


@pytest.mark.parametrize("role", ROLES)
def test_manage_directory(people, role):
    assert permissions.can_manage_institution_directory(people[role]) is DIRECTORY[role]


# Editing and moderation in the admin: the editor's dashboard (own, other institution), the
# moderator's queue, and sending or publishing a lesson with its course (own, other institution).
EDITOR_DASHBOARD = {role: (role == "editor", False) for role in ROLES}
MODERATION_QUEUE = {role: role == "moderator" for role in ROLES}
SEND_WITH_COURSE = {
    "anonymous": (False, False), "trainee": (False, False), "editor": (True, False),
    "coordinator": (False, False), "trainer": (False, False), "focal_point": (False, False),
    "moderator": (True, True), "organiser": (False, False), "superuser": (True, True),
}  # fmt: skip
PUBLISH_WITH_COURSE = {role: (role in {"moderator", "superuser"},) * 2 for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_editing_and_moderation_in_the_admin(people, academy, other_academy, course, role):
    from ..factories import CoursePageFactory, CurriculumPageFactory, LessonPageFactory

    user = people[role]
    dashboard = run_permissions.dashboard_institutions(user)
    assert (dashboard.filter(pk=academy.pk).exists(),
            dashboard.filter(pk=other_academy.pk).exists()) == EDITOR_DASHBOARD[role]  # fmt: skip
    assert run_permissions.sees_moderation_queue(user) is MODERATION_QUEUE[role]
    own = LessonPageFactory(parent=ModulePage.objects.child_of(course).first(), live=False)
    foreign_course = CoursePageFactory(parent=CurriculumPageFactory(parent=other_academy.page))
    foreign = LessonPageFactory(
        parent=foreign_course.add_child(instance=ModulePage(title="M", live=False)), live=False
    )
    send = run_permissions.can_send_with_submission
    publish = run_permissions.can_publish_with_submission
    assert (send(user, own), send(user, foreign)) == SEND_WITH_COURSE[role]
    assert (publish(user, own), publish(user, foreign)) == PUBLISH_WITH_COURSE[role]


def test_inactive_user_may_do_nothing(people, academy, course):
    editor = people["editor"]
    editor.is_active = False
    editor.save()
    assert not permissions.can_edit_institution(editor, academy)
    assert not permissions.can_moderate(editor)


def test_unpublished_course_cannot_be_adapted(people, other_academy):
    from ..factories import CoursePageFactory, CurriculumPageFactory

    draft = CoursePageFactory(parent=CurriculumPageFactory(parent=other_academy.page), live=False)
    assert not course_permissions.can_adapt_course(people["editor"], draft)


def test_membership_roles_cover_the_matrix():
    assert set(Membership.Role.values) <= set(ROLES)


# Granting roles: (trainer in own institution, editor in another institution, focal point for a
# country, network organiser).
GRANT = {
    "anonymous": (False, False, False, False), "trainee": (False, False, False, False),
    "editor": (False, False, False, False), "coordinator": (True, False, False, False),
    "trainer": (False, False, False, False), "focal_point": (False, False, False, False),
    "moderator": (False, False, False, False), "organiser": (True, True, True, True),
    "superuser": (True, True, True, True),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_grant_role(people, academy, other_academy, role):
    user = people[role]
    expected = GRANT[role]
    answers = (
        permissions.can_grant_role(user, role="trainer", institution=academy),
        permissions.can_grant_role(user, role="editor", institution=other_academy),
        permissions.can_grant_role(user, role="focal_point", country=academy.country),
        permissions.can_grant_role(user, role="organiser"),
    )
    assert answers == expected


@pytest.mark.parametrize("role", ROLES)
def test_revoke_and_see_roles(people, academy, other_academy, role):
    user = people[role]
    own = services.membership_grant(user=UserFactory(), role="editor", institution=academy)
    other = services.membership_grant(user=UserFactory(), role="editor", institution=other_academy)
    own_expected, other_expected = GRANT[role][0], GRANT[role][1]
    assert permissions.can_revoke_membership(user, own) is own_expected
    assert permissions.can_revoke_membership(user, other) is other_expected
    visible = set(permissions.manageable_memberships(user))
    assert (own in visible) is own_expected
    assert (other in visible) is other_expected


# Exporting personal data: (one's own, someone else's).
EXPORT = {role: (role != "anonymous", role == "superuser") for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_export_personal_data(people, role):
    user = people[role]
    someone = UserFactory()
    own_expected, other_expected = EXPORT[role]
    if role != "anonymous":
        assert permissions.can_export_personal_data(user, user) is own_expected
    assert permissions.can_export_personal_data(user, someone) is other_expected


# Runs: (run organised by own institution, run organised by another institution).
MANAGE_RUN = {
    "anonymous": (False, False), "trainee": (False, False), "editor": (False, False),
    "coordinator": (True, False), "trainer": (False, False), "focal_point": (False, False),
    "moderator": (False, False), "organiser": (True, True), "superuser": (True, True),
}  # fmt: skip
# Keeping a register: the trainers named on the run (here: the own run) and its managers.
REGISTER = {
    "anonymous": (False, False), "trainee": (False, False), "editor": (False, False),
    "coordinator": (True, False), "trainer": (True, False), "focal_point": (False, False),
    "moderator": (False, False), "organiser": (True, True), "superuser": (True, True),
}  # fmt: skip
# Nominating: (an officer of the focal point's country, an officer of another country).
NOMINATE = {
    "anonymous": (False, False), "trainee": (False, False), "editor": (False, False),
    "coordinator": (False, False), "trainer": (False, False), "focal_point": (True, False),
    "moderator": (False, False), "organiser": (True, True), "superuser": (True, True),
}  # fmt: skip
# Seeing someone's enrolment: (in the own run, from the own country) vs (another run, another
# country).
VIEW_ENROLMENT = {
    "anonymous": (False, False), "trainee": (False, False), "editor": (False, False),
    "coordinator": (True, False), "trainer": (True, False), "focal_point": (True, False),
    "moderator": (False, False), "organiser": (True, True), "superuser": (True, True),
}  # fmt: skip


@pytest.fixture
def runs(people, course, academy, other_academy):
    from ..factories import CoursePageFactory, CurriculumPageFactory, course_run, trainee

    own = course_run(course, academy, trainers=[people["trainer"]])
    foreign_course = CoursePageFactory(parent=CurriculumPageFactory(parent=other_academy.page))
    other = course_run(foreign_course, other_academy)
    from trainees import services as trainee_services

    compatriot = trainee(academy.country.code)
    foreigner = trainee("GE" if academy.country.code != "GE" else "AM")
    own_enrolment = trainee_services.enrolment_request(run=own, user=compatriot)
    other_enrolment = trainee_services.enrolment_request(run=other, user=foreigner)
    return {
        "own": own,
        "other": other,
        "compatriot": compatriot,
        "foreigner": foreigner,
        "own_enrolment": own_enrolment,
        "other_enrolment": other_enrolment,
    }


@pytest.mark.parametrize("role", ROLES)
def test_run_permissions(people, runs, academy, role):
    from network.models import Country

    user = people[role]
    assert (
        run_permissions.can_manage_run(user, runs["own"]),
        run_permissions.can_manage_run(user, runs["other"]),
    ) == MANAGE_RUN[role]
    assert (
        run_permissions.can_keep_register(user, runs["own"]),
        run_permissions.can_keep_register(user, runs["other"]),
    ) == REGISTER[role]
    other_country = Country.objects.get(code="GE" if academy.country.code != "GE" else "AM")
    assert (
        trainee_permissions.can_nominate(user, country=academy.country),
        trainee_permissions.can_nominate(user, country=other_country),
    ) == NOMINATE[role]
    assert (
        enrolment_permissions.can_view_enrolment(user, runs["own_enrolment"]),
        enrolment_permissions.can_view_enrolment(user, runs["other_enrolment"]),
    ) == VIEW_ENROLMENT[role]
    assert {r.pk for r in run_permissions.managed_runs(user)} == {
        run.pk
        for key, run in (("own", runs["own"]), ("other", runs["other"]))
        if MANAGE_RUN[role][0 if key == "own" else 1]
    }


# Reading the focal point's note on a nomination: (a nomination to the own run, made by the focal
# point of the fixture; a nomination to another institution's run, made by an organiser).
NOMINATOR_NOTE = {
    "anonymous": (False, False), "trainee": (False, False), "editor": (False, False),
    "coordinator": (True, False), "trainer": (False, False), "focal_point": (True, False),
    "moderator": (False, False), "organiser": (True, True), "superuser": (True, True),
}  # fmt: skip


@pytest.fixture
def nominations(people, runs, academy):
    from network.models import Country
    from trainees import services as trainee_services

    from ..factories import trainee

    other_country = "GE" if academy.country.code != "GE" else "AM"
    own = trainee_services.enrolment_nominate(
        run=runs["own"], user=trainee(academy.country.code), actor=people["focal_point"],
        note="For the organiser",
    )  # fmt: skip
    other = trainee_services.enrolment_nominate(
        run=runs["other"], user=trainee(other_country), actor=people["organiser"],
        note="For the organiser",
    )  # fmt: skip
    assert other.country == Country.objects.get(code=other_country)
    return own, other


@pytest.mark.parametrize("role", ROLES)
def test_nominator_note(people, nominations, role):
    user = people[role]
    own, other = nominations
    expected = NOMINATOR_NOTE[role]
    assert (
        enrolment_permissions.can_view_nominator_note(user, own),
        enrolment_permissions.can_view_nominator_note(user, other),
    ) == expected
    # The list pages' rule is the same, in one query.
    visible = enrolment_permissions.nominator_notes_visible(user, [own, other])
    assert (own.pk in visible, other.pk in visible) == expected


def test_the_nominated_officer_never_reads_the_note(nominations):
    own, _other = nominations
    assert not enrolment_permissions.can_view_nominator_note(own.user, own)
    assert not enrolment_permissions.nominator_notes_visible(own.user, [own])


def test_trainees_see_their_own_enrolment(runs):
    assert enrolment_permissions.can_view_enrolment(runs["compatriot"], runs["own_enrolment"])
    assert not enrolment_permissions.can_view_enrolment(runs["compatriot"], runs["other_enrolment"])


# Figures. A dashboard (own institution or country / another one asked for by name): "all" is
# the network without suppression, "own" the viewer's scope with small cells suppressed, None
# no dashboard, "403" refused.
REPORT = {
    "anonymous": (None, None), "trainee": (None, None), "editor": (None, None),
    "coordinator": ("own", "403"), "trainer": (None, None), "focal_point": ("own", "403"),
    "moderator": (None, None), "organiser": ("all", "all"), "superuser": ("all", "all"),
}  # fmt: skip


def _report(user, **named):
    from django.core.exceptions import PermissionDenied

    try:
        scope = report_permissions.report_scope(user, **named)
    except PermissionDenied:
        return "403"
    if scope is None:
        return None
    return "own" if scope["suppress"] else "all"


@pytest.mark.parametrize("role", ROLES)
def test_dashboards(people, academy, other_academy, role):
    user = people[role]
    own, other = REPORT[role]
    assert _report(user) == own
    named = (
        {"country": other_academy.country}
        if role == "focal_point"
        else {"institution": other_academy}
    )
    assert _report(user, **named) == other
    if role == "coordinator":
        scope = report_permissions.report_scope(user, institution=academy)
        assert scope["institutions"] == {academy.pk}
    if role == "focal_point":
        scope = report_permissions.report_scope(user, country=academy.country)
        assert scope["countries"] == {academy.country_id}


# Cascades of a course or thematic area, and of a ToT held before the platform; the trainer
# registry: "all" (everyone, exact), "scoped" (own institution or country, suppressed),
# "listed" (only trainers who chose to be listed), None.
WIDE = {
    "anonymous": (None, None, None), "trainee": (None, None, None),
    "editor": (None, None, "listed"), "coordinator": ("scoped", None, "scoped"),
    "trainer": (None, None, "listed"), "focal_point": ("scoped", "scoped", "scoped"),
    "moderator": (None, None, "listed"), "organiser": ("all", "all", "all"),
    "superuser": ("all", "all", "all"),
}  # fmt: skip


def _kind(scope):
    if scope is None:
        return None
    if scope.get("all") or scope.get("suppress") is False:
        return "all"
    if scope.get("institutions") or scope.get("countries"):
        return "scoped"
    return "listed"


@pytest.mark.parametrize("role", ROLES)
def test_cascade_wide_views_and_trainer_registry(people, role):
    user = people[role]
    forest, external, registry = WIDE[role]
    assert _kind(cascade_permissions.cascade_forest_scope(user)) == forest
    assert _kind(cascade_permissions.external_cascade_scope(user)) == external
    assert cascade_permissions.can_view_external_cascades(user) is (external is not None)
    assert _kind(cascade_permissions.registry_scope(user)) == registry


# Certificates expiring: coordinators see their institutions', organisers everyone's.
EXPIRY = {
    "anonymous": (False, False), "trainee": (False, False), "editor": (False, False),
    "coordinator": (True, False), "trainer": (False, False), "focal_point": (False, False),
    "moderator": (False, False), "organiser": (True, True), "superuser": (True, True),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_watch_certificate_expiry(people, academy, other_academy, role):
    user = people[role]
    scope = set(permissions.coordinated_institutions(user).values_list("pk", flat=True))
    assert certificate_permissions.can_watch_certificate_expiry(user) == any(EXPIRY[role])
    assert (academy.pk in scope, other_academy.pk in scope) == EXPIRY[role]


# Certificate templates: (own institution's, another's, the network's), each as
# (may put it on a run's rule, may change it). Everyone who schedules runs may use the network's
# templates; only organisers (and superusers) change them.
TEMPLATES = {
    "anonymous": ((False, False), (False, False), (False, False)),
    "trainee": ((False, False), (False, False), (False, False)),
    "editor": ((False, False), (False, False), (False, False)),
    "coordinator": ((True, True), (False, False), (True, False)),
    "trainer": ((False, False), (False, False), (False, False)),
    "focal_point": ((False, False), (False, False), (False, False)),
    "moderator": ((False, False), (False, False), (False, False)),
    "organiser": ((True, True), (True, True), (True, True)),
    "superuser": ((True, True), (True, True), (True, True)),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_certificate_templates(people, academy, other_academy, role):
    from certificates.models import CertificateTemplate
    from certificates.wagtail_hooks import CertificateTemplatePermissionPolicy, usable_templates

    user = people[role]
    policy = CertificateTemplatePermissionPolicy()
    made = [
        CertificateTemplate.objects.create(institution=academy, name="Own"),
        CertificateTemplate.objects.create(institution=other_academy, name="Other"),
        CertificateTemplate.objects.create(institution=None, name="Network"),
    ]
    usable = set(usable_templates(user).values_list("pk", flat=True))
    found = tuple(
        (template.pk in usable, policy.user_has_permission_for_instance(user, "change", template))
        for template in made
    )
    assert found == TEMPLATES[role]
