"""Reads for nominations: the officers a focal point may nominate and the search among them, a
run's nominations for its coordinators, and the invitations still waiting for a sign-up."""

from __future__ import annotations

from django.db.models import Q

from ..models import Enrolment, NominationInvitation
from .enrolment import with_visible_notes

# How many officers a search shows; a longer list asks for more words.
OFFICER_RESULTS = 50
_SEARCH_FIELDS = (
    "email",
    "trainee_profile__given_name",
    "trainee_profile__family_name",
    "trainee_profile__given_name_latin",
    "trainee_profile__family_name_latin",
)
# States in which an officer cannot be nominated again for the run (withdrawn or lapsed
# offers may be).
_TAKEN = (
    Enrolment.State.REQUESTED,
    Enrolment.State.WAITLISTED,
    Enrolment.State.OFFERED,
    Enrolment.State.ENROLLED,
    Enrolment.State.REJECTED,
    Enrolment.State.CANCELLED,
)


def nominable_officers(*, user):
    """Active accounts whose trainee profile is in a country this user nominates for."""
    from network.models import User

    from .. import permissions

    return User.objects.filter(
        is_active=True, trainee_profile__country__in=permissions.nominating_countries(user)
    )


def officer_search(*, user, q: str = "", run_id: int | None = None, ticked=()) -> dict:
    """The officers this user may nominate whose names (in either script) or address hold every
    word of `q`, at most OFFICER_RESULTS of them, after those already ticked; each with the
    state of their enrolment in the run, if it keeps them from being nominated (three
    queries at most)."""
    base = nominable_officers(user=user).select_related("trainee_profile__country")
    order = ("trainee_profile__family_name_latin", "trainee_profile__given_name_latin", "pk")
    officers, more = [], False
    ticked = [int(pk) for pk in ticked]
    if ticked:
        officers = list(base.filter(pk__in=ticked).order_by(*order))
    words = q.split()[:5]
    if words:
        found = base.exclude(pk__in=ticked)
        for word in words:
            match = Q()
            for name in _SEARCH_FIELDS:
                match |= Q(**{f"{name}__icontains": word})
            found = found.filter(match)
        found = list(found.order_by(*order)[: OFFICER_RESULTS + 1])
        more = len(found) > OFFICER_RESULTS
        officers += found[:OFFICER_RESULTS]
    taken = {}
    if run_id and officers:
        taken = dict(
            Enrolment.objects.filter(
                run_id=run_id, user__in=[o.pk for o in officers], state__in=_TAKEN
            ).values_list("user_id", "state")
        )
    for officer in officers:
        state = taken.get(officer.pk)
        officer.taken_state = Enrolment.State(state).label if state else ""
        officer.ticked = officer.pk in ticked
    return {"officers": officers, "more": more, "searched": bool(words)}


def run_nominations(*, user, run) -> dict:
    """A run's nominations in every state, with the notes this user may read, and the officers
    invited to sign up who have not yet (three queries)."""
    from .. import permissions

    nominated = with_visible_notes(
        user,
        list(
            Enrolment.objects.filter(run_id=run.pk, role=Enrolment.Role.TRAINEE)
            .exclude(nominated_by=None)
            .select_related("user__trainee_profile", "country", "nominated_by")
            .order_by("created_at", "pk")
        ),
    )
    invitations = []
    if permissions.can_manage_run(user, run):
        invitations = list(
            NominationInvitation.objects.filter(run_id=run.pk, claimed_at=None)
            .select_related("country", "invited_by")
            .order_by("created_at", "pk")
        )
    awaiting = sum(1 for e in nominated if e.state == Enrolment.State.REQUESTED)
    return {"nominated": nominated, "invitations": invitations, "awaiting": awaiting}


def invitations_waiting(*, user) -> list[NominationInvitation]:
    """Officers invited to sign up by this user, or for the countries they nominate for, who
    have not yet (one query)."""
    from .. import permissions

    return list(
        NominationInvitation.objects.filter(
            Q(invited_by=user) | Q(country__in=permissions.nominating_countries(user)),
            claimed_at=None,
        )
        .select_related("run__course", "country")
        .order_by("-created_at", "-pk")[:100]
    )
