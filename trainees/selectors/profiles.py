"""Reads of trainee profiles and of everything held about a person (the data export)."""

from __future__ import annotations

from ..models import Enrolment, Notification, TraineeProfile


def profile_for(*, user) -> TraineeProfile | None:
    if not user.is_authenticated:
        return None
    return TraineeProfile.objects.select_related("country", "institution").filter(user=user).first()


def profile_is_complete(*, user) -> bool:
    """A profile exists only once every required field was valid, so existing means complete."""
    return user.is_authenticated and TraineeProfile.objects.filter(user=user).exists()


def personal_data(*, user) -> dict:
    profile = profile_for(user=user)
    data = {
        "enrolments": [
            {
                "run": e.run.display_title,
                "course": e.run.course.title,
                "organiser": e.run.organiser.name,
                "dates": f"{e.run.start_date} – {e.run.end_date}",
                "role": e.get_role_display(),
                "state": e.get_state_display(),
                "reason": e.reason,
                "nominated_by": str(e.nominated_by) if e.nominated_by_id else None,
                "created_at": e.created_at,
                "history": [
                    {"from": t.from_state, "to": t.to_state, "reason": t.reason, "at": t.at}
                    for t in e.transitions.all()
                ],
                "attendance": [
                    {
                        "session": a.session.starts_at,
                        "status": a.get_status_display(),
                        "note": a.note,
                        "checked_in_by_qr_code": a.via_check_in,
                    }
                    for a in e.attendance.all()
                ],
            }
            for e in Enrolment.objects.filter(user=user)
            .select_related("run__course", "run__organiser", "nominated_by")
            .prefetch_related("transitions", "attendance__session")
        ],
        # The e-mails sent to the person (not those that told coordinators of their request).
        "notifications": list(
            Notification.objects.filter(enrolment__user=user, recipient=None).values(
                "kind", "created_at", "sent_at"
            )
        ),
    }
    if profile is None:
        return {"profile": None, "name_changes": [], **data}
    return {
        **data,
        "profile": {
            "given_name": profile.given_name,
            "family_name": profile.family_name,
            "given_name_latin": profile.given_name_latin,
            "family_name_latin": profile.family_name_latin,
            "name_order": profile.get_name_order_display(),
            "name": profile.full_name,
            "name_latin": profile.latin_name,
            "gender": profile.get_gender_display(),
            "country": profile.country.label,
            "institution": profile.institution.name if profile.institution else None,
            "institution_other": profile.institution_other,
            "rank_or_position": profile.rank_or_position,
            "preferred_language": profile.preferred_language,
            "updated_at": profile.updated_at,
        },
        "name_changes": list(
            profile.name_changes.values("field", "old_value", "new_value", "changed_at")
        ),
    }
