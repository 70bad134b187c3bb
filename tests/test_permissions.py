"""The permission matrix: every role against every action, on its own and another institution."""

import pytest

from pan_network import permissions, services
from pan_network.models import Membership

from .factories import UserFactory

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
    from .factories import CoursePageFactory, CurriculumPageFactory

    foreign = CoursePageFactory(parent=CurriculumPageFactory(parent=other_academy.page))
    own_expected, other_expected = ADAPT[role]
    assert permissions.can_adapt_course(people[role], course) is own_expected
    assert permissions.can_adapt_course(people[role], foreign) is other_expected


@pytest.mark.parametrize("role", ROLES)
def test_moderate(people, role):
    assert permissions.can_moderate(people[role]) is MODERATE[role]


@pytest.mark.parametrize("role", ROLES)
def test_manage_directory(people, role):
    assert permissions.can_manage_institution_directory(people[role]) is DIRECTORY[role]


def test_inactive_user_may_do_nothing(people, academy, course):
    editor = people["editor"]
    editor.is_active = False
    editor.save()
    assert not permissions.can_edit_institution(editor, academy)
    assert not permissions.can_moderate(editor)


def test_unpublished_course_cannot_be_adapted(people, other_academy):
    from .factories import CoursePageFactory, CurriculumPageFactory

    draft = CoursePageFactory(parent=CurriculumPageFactory(parent=other_academy.page), live=False)
    assert not permissions.can_adapt_course(people["editor"], draft)


def test_membership_roles_cover_the_matrix():
    assert set(Membership.Role.values) <= set(ROLES)
