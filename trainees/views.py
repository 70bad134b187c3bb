"""Thin views for a trainee's own pages.

Over 500 lines: one thin view for each page that trainees, trainers and coordinators use,
with no logic of its own to split."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import exports, hooks
from courses import permissions as run_permissions
from courses.models import CourseRun, Session
from network import permissions
from trainees import permissions as trainee_permissions

from . import selectors, services
from .forms import ImportForm, NominationForm, ProfileForm, QueueForm
from .models import Attendance, Enrolment


@login_required
def profile_edit(request):
    profile = selectors.profile_for(user=request.user)
    # A new profile's language is the one the person is reading the platform in.
    initial = {"preferred_language": translation.get_language()}
    if profile is not None:
        initial = {
            field: getattr(profile, field)
            for field in (
                "given_name",
                "family_name",
                "given_name_latin",
                "family_name_latin",
                "name_order",
                "gender",
                "institution",
                "institution_other",
                "rank_or_position",
                "preferred_language",
            )
        }
        initial["country_code"] = profile.country.code
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["country_code"] = data["country_code"].code
        try:
            services.profile_save(user=request.user, **data)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("Your profile was saved."))
            next_url = request.GET.get("next", "")
            if url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return redirect(next_url)
            return redirect("trainees:profile")
    return TemplateResponse(
        request, "trainees/profile_edit.html", {"form": form, "profile": profile}
    )


# ---------------------------------------------------------------------------------------------
# Trainees: runs, enrolment, My learning, calendar, check-in
# ---------------------------------------------------------------------------------------------


def _errors(error: ValidationError) -> list[str]:
    return [message for messages_ in error.message_dict.values() for message in messages_]


def _say(request, error: ValidationError) -> None:
    for message in _errors(error):
        messages.error(request, message)


def run_detail(request, run_id: int):
    run = selectors.run_detail(run_id=run_id)
    if run is None or not run.course.live:
        raise Http404
    enrolment = selectors.enrolment_for(run=run, user=request.user)
    context = {
        "run": run,
        "enrolment": enrolment,
        "profile_complete": selectors.profile_is_complete(user=request.user),
        "can_manage": run_permissions.can_manage_run(request.user, run),
    }
    if enrolment is not None:
        enrolment.run = run
        enrolment.path = hooks.learning_paths.collect(
            user=request.user, enrolments=[enrolment]
        ).get(enrolment.pk)
        enrolment.run_over = selectors.enrolment_is_over(enrolment)
        enrolment.waitlist_position = selectors.waitlist_positions([enrolment]).get(enrolment.pk)
        # The apps above add theirs (certificates: the one this run earned).
        context.update(
            hooks.run_page_context.collect(request=request, run=run, enrolment=enrolment)
        )
        enrolment.certificate = context.get("certificate")
    return TemplateResponse(request, "trainees/run_detail.html", context)


@login_required
@require_POST
def run_enrol(request, run_id: int):
    run = get_object_or_404(CourseRun, pk=run_id)
    try:
        enrolment = services.enrolment_request(run=run, user=request.user)
    except ValidationError as error:
        _say(request, error)
        if not selectors.profile_is_complete(user=request.user):
            return redirect(f"{reverse('trainees:profile')}?next={run_url(run)}")
    else:
        messages.success(request, ENROL_MESSAGES[enrolment.state])
    return redirect(run_url(run))


ENROL_MESSAGES = {
    Enrolment.State.ENROLLED: gettext_lazy("You are enrolled."),
    Enrolment.State.REQUESTED: gettext_lazy(
        "Your request was sent; a coordinator will decide on it."
    ),
    Enrolment.State.WAITLISTED: gettext_lazy(
        "No place is free for you now: you are on the waitlist."
    ),
}


def run_url(run) -> str:
    return reverse("run_detail", args=[run.pk])


def _own_enrolment(request, enrolment_id: int) -> Enrolment:
    enrolment = get_object_or_404(Enrolment.objects.select_related("run"), pk=enrolment_id)
    if enrolment.user_id != request.user.pk:
        raise Http404
    return enrolment


@login_required
def enrolment_withdraw(request, enrolment_id: int):
    """Withdrawal asks first, naming what it gives up (the place goes to the next person on the
    waitlist); the answer is a POST from that page, with an optional reason."""
    enrolment = _own_enrolment(request, enrolment_id)
    if request.method == "POST":
        try:
            services.enrolment_withdraw(
                enrolment=enrolment,
                actor=request.user,
                reason=request.POST.get("reason", "").strip()[:500],
            )
        except ValidationError as error:
            _say(request, error)
        else:
            messages.success(request, _("You have withdrawn from the run."))
        return redirect("trainees:my_learning")
    if enrolment.state not in Enrolment.ACTIVE:
        messages.info(request, _("This enrolment is not active."))
        return redirect("trainees:my_learning")
    context = selectors.withdrawal_consequence(enrolment=enrolment)
    context["enrolment"] = enrolment
    return TemplateResponse(request, "trainees/withdraw_confirm.html", context)


@login_required
@require_POST
def offer_accept(request, enrolment_id: int):
    enrolment = _own_enrolment(request, enrolment_id)
    try:
        services.offer_accept(enrolment=enrolment, actor=request.user)
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, _("You are enrolled."))
    return redirect("trainees:my_learning")


@login_required
def my_learning(request):
    context = selectors.my_learning(user=request.user)
    context["profile_complete"] = selectors.profile_is_complete(user=request.user)
    context.update(hooks.my_learning_context.collect(request=request))
    # An enrolment that earned a certificate says so, with the certificate, beside the run.
    earned = {}
    for certificate in context.get("certificates", []):
        if getattr(certificate, "status", "") == "valid":
            earned.setdefault(certificate.run_id, certificate)
    for enrolment in context["enrolments"]:
        enrolment.certificate = earned.get(enrolment.run_id)
    context["calendar_url"] = request.build_absolute_uri(
        reverse("trainees:calendar", args=[calendar_token(request.user)])
    )
    return TemplateResponse(request, "trainees/my_learning.html", context)


def calendar_token(user) -> str:
    return signing.dumps(user.pk, salt="pan.calendar")


def calendar_feed(request, token: str):
    """iCalendar feed of a person's sessions; the secret link stands in for signing in, since
    calendar applications cannot."""
    from network.models import User

    try:
        user_id = signing.loads(token, salt="pan.calendar")
    except signing.BadSignature:
        raise Http404 from None
    user = get_object_or_404(User, pk=user_id, is_active=True)
    calendar = _calendar_ics(selectors.my_sessions(user=user), request)
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pan-sessions.ics"'
    return response


def _calendar_ics(sessions, request) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//PAN Training Platform//sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "PAN training sessions")
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.pk}@pan-training")
        event.add("summary", f"{session.run.course.title}: {session.label}".rstrip(": "))
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("dtstamp", timezone.now())
        if session.place or session.run.venue:
            event.add("location", session.place or session.run.venue)
        if session.meeting_url:
            event.add("url", session.meeting_url)
        event.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
        event.add(
            "description", request.build_absolute_uri(reverse("run_detail", args=[session.run_id]))
        )
        calendar.add_component(event)
    return calendar.to_ical()


@login_required
def check_in(request, session_id: int, token: str):
    session = get_object_or_404(Session.objects.select_related("run__course"), pk=session_id)
    if request.method == "POST":
        try:
            services.check_in(session=session, user=request.user, token=token)
        except ValidationError as error:
            return TemplateResponse(
                request,
                "trainees/check_in.html",
                {"session": session, "errors": _errors(error)},
                status=400,
            )
        return TemplateResponse(
            request, "trainees/check_in.html", {"session": session, "done": True}
        )
    return TemplateResponse(request, "trainees/check_in.html", {"session": session})


# ---------------------------------------------------------------------------------------------
# Staff pages (/manage/): coordinators, trainers, focal points. Two-factor authentication is
# required for all of them (network.middleware).
# ---------------------------------------------------------------------------------------------


def staff_page(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not permissions.has_staff_role(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@staff_page
def manage_home(request):
    return TemplateResponse(
        request,
        "trainees/manage/home.html",
        {
            "runs": selectors.managed_run_list(user=request.user),
            "teaching": selectors.trainer_runs(user=request.user),
            "queue": selectors.enrolment_queue_counts(user=request.user),
            "can_nominate": trainee_permissions.nominating_countries(request.user).exists(),
        },
    )


@staff_page
def manage_queue(request):
    queue = selectors.enrolment_queue(user=request.user)
    form = QueueForm(request.POST or None, queue=queue)
    if request.method == "POST" and form.is_valid():
        by_id = {e.pk: e for e in queue}
        done, failed = 0, []
        for enrolment_id in form.cleaned_data["enrolments"]:
            enrolment = by_id[enrolment_id]
            if not run_permissions.can_manage_run(request.user, enrolment.run):
                raise PermissionDenied
            try:
                if form.cleaned_data["action"] == "approve":
                    services.enrolment_approve(
                        enrolment=enrolment, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                else:
                    services.enrolment_reject(
                        enrolment=enrolment, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                done += 1
            except ValidationError as error:
                failed.append(f"{enrolment.user}: {' '.join(_errors(error))}")
        if done:
            messages.success(request, _("%(n)s requests updated.") % {"n": done})
        for message in failed:
            messages.error(request, message)
        return redirect("manage_queue")
    return TemplateResponse(request, "trainees/manage/queue.html", {"queue": queue, "form": form})


def _managed_run(request, run_id: int) -> CourseRun:
    run = selectors.run_detail(run_id=run_id)
    if run is None:
        raise Http404
    if not run_permissions.can_keep_register(request.user, run):
        raise PermissionDenied
    return run


@staff_page
def manage_run(request, run_id: int):
    run = _managed_run(request, run_id)
    can_manage = run_permissions.can_manage_run(request.user, run)
    table = selectors.attendance_table(run=run)
    form = ImportForm()
    report = []
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    # E-learning (lesson waivers) and certificates (standings, issuing) add their parts.
    parts = hooks.run_manage_page.collect(
        request=request, run=run, table=table, can_manage=can_manage
    )
    if parts.pop("handled", False):
        return redirect("manage_run", run_id=run.pk)
    if request.method == "POST" and not parts.pop("claimed", False):
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = services.enrolment_file_rows(content=upload.read(), filename=upload.name)
                enrolled = services.enrolments_import(run=run, rows=rows, actor=request.user)
            except ValidationError as error:
                report = _errors(error)
            else:
                messages.success(
                    request, _("%(n)s officers enrolled from the file.") % {"n": len(enrolled)}
                )
                return redirect("manage_run", run_id=run.pk)
    return TemplateResponse(
        request,
        "trainees/manage/run.html",
        {
            **parts,
            "run": run,
            "can_manage": can_manage,
            # The nominators' notes are for the run's managers, not its trainers.
            "nominations": selectors.run_nominations(user=request.user, run=run)
            if can_manage
            else None,
            "table": table,
            "form": form,
            "report": report,
            "now": timezone.now(),
        },
    )


@staff_page
def manage_run_export(request, run_id: int, fmt: str):
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    run = _managed_run(request, run_id)
    header, rows = selectors.attendance_export(run=run)
    filename = f"run-{run.pk}-attendance.{fmt}"
    if fmt == "csv":
        return exports.csv_response(header, rows, filename=filename)
    return exports.xlsx_response([("Attendance", header, rows)], filename=filename)


def _register_session(request, session_id: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("run__course"), pk=session_id)
    if not run_permissions.can_keep_register(request.user, session.run):
        raise PermissionDenied
    return session


@staff_page
def manage_register(request, session_id: int):
    session = _register_session(request, session_id)
    errors = []
    if request.method == "POST":
        entries = {}
        for key, value in request.POST.items():
            if key.startswith("status-"):
                try:
                    enrolment_id = int(key.removeprefix("status-"))
                except ValueError:
                    errors.append(_("“%(key)s” is not a register line.") % {"key": key})
                    continue
                if value:
                    entries[enrolment_id] = (value, request.POST.get(f"note-{enrolment_id}", ""))
        if not errors:
            try:
                saved = services.register_save(session=session, entries=entries, actor=request.user)
            except ValidationError as error:
                errors = _errors(error)
            else:
                messages.success(request, _("Register saved (%(n)s lines).") % {"n": saved})
                return redirect("manage_register", session_id=session.pk)
    return TemplateResponse(
        request,
        "trainees/manage/register.html",
        {
            "session": session,
            "lines": selectors.register(session=session),
            "statuses": Attendance.Status.choices,
            "errors": errors,
            "posted": request.POST if errors else None,
        },
        status=400 if errors else 200,
    )


@staff_page
def manage_check_in(request, session_id: int):
    """The trainer's screen: a QR code that changes every minute."""
    session = _register_session(request, session_id)
    now = timezone.now()
    token = services.check_in_token(session=session, now=now)
    url = request.build_absolute_uri(reverse("trainees:check_in", args=[session.pk, token]))
    import qrcode
    import qrcode.image.svg

    svg = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12).to_string(
        encoding="unicode"
    )
    return TemplateResponse(
        request,
        "trainees/manage/check_in.html",
        {
            "session": session,
            "qr_svg": svg,
            "url": url,
            # Fresh often enough that the count of check-ins stays live on a projector.
            "refresh_in": min(61 - now.second, 10),
            "open": session.starts_at - services.CHECK_IN_EARLY <= now <= session.ends_at,
            "projector": request.GET.get("projector") == "1",
            **selectors.check_in_count(session=session),
        },
    )


@staff_page
def manage_teaching(request):
    return TemplateResponse(
        request,
        "trainees/manage/teaching.html",
        {"runs": selectors.trainer_runs(user=request.user)},
    )


def _ids(values) -> list[int]:
    return [int(value) for value in values if str(value).isdigit()][:200]


@staff_page
def manage_nominations(request):
    """A focal point nominates officers of their country, several at once: found by a search
    and ticked, or by e-mail address; an address without an account is invited to sign up.
    Each officer is nominated or refused on their own, and the refusals are listed with their
    reasons (their addresses stay in the form to be corrected)."""
    nominating = trainee_permissions.nominating_countries(request.user)
    if not nominating.exists():
        raise PermissionDenied
    runs = selectors.open_runs_for_nomination()
    several = nominating.count() > 1
    countries = nominating.order_by("name") if several else None
    officers = selectors.nominable_officers(user=request.user)
    report = []
    posted = request.POST if request.method == "POST" else None
    if posted is not None and "search" in posted:
        # A search keeps what was typed and ticked so far, and checks nothing yet.
        form = NominationForm(
            initial={key: posted.get(key, "") for key in ("run", "q", "emails", "note", "country")},
            runs=runs,
            officers=officers,
            countries=countries,
        )
        ticked = _ids(posted.getlist("officers"))
    else:
        form = NominationForm(
            posted,
            initial={"run": request.GET.get("run", "")},
            runs=runs,
            officers=officers,
            countries=countries,
        )
        ticked = _ids(posted.getlist("officers")) if posted is not None else []
    if posted is not None and "search" not in posted and form.is_valid():
        data = form.cleaned_data
        run = next(r for r in runs if r.pk == data["run"])
        try:
            outcome = services.nominations_make(
                run=run,
                actor=request.user,
                officers=list(data["officers"]),
                emails=data["addresses"],
                note=data["note"],
                country=data.get("country"),
                language=get_language(),
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            _nominations_told(request, outcome)
            report = [(value, _("This is not an e-mail address.")) for value in data["malformed"]]
            report += outcome.refused
            if not report:
                return redirect(f"{reverse('manage_nominations')}?run={run.pk}")
            # What was done is done; the addresses refused stay in the form to be corrected.
            typed = set(data["addresses"]) | set(data["malformed"])
            form = NominationForm(
                initial={
                    "run": run.pk,
                    "note": data["note"],
                    "country": data.get("country"),
                    "emails": "\n".join(who for who, _why in report if who in typed),
                },
                runs=runs,
                officers=officers,
                countries=countries,
            )
            ticked = []
    run_id = form["run"].value()
    search = selectors.officer_search(
        user=request.user,
        q=str(form["q"].value() or ""),
        run_id=int(run_id) if str(run_id or "").isdigit() else None,
        ticked=ticked,
    )
    return TemplateResponse(
        request,
        "trainees/manage/nominations.html",
        {
            "form": form,
            "search": search,
            "report": report,
            "results_max": selectors.OFFICER_RESULTS,
            "nominations": selectors.nominations(user=request.user),
            "invitations": selectors.invitations_waiting(user=request.user),
        },
    )


def _nominations_told(request, outcome) -> None:
    if outcome.nominated:
        messages.success(
            request,
            ngettext(
                "Nominated: %(names)s.",
                "Nominated (%(n)s): %(names)s.",
                len(outcome.nominated),
            )
            % {
                "n": len(outcome.nominated),
                "names": ", ".join(str(e.user) for e in outcome.nominated),
            },
        )
    if outcome.invited:
        messages.success(
            request,
            ngettext(
                "Invited to sign up: %(addresses)s. The nomination is made when they have.",
                "Invited to sign up (%(n)s): %(addresses)s. Each nomination is made when "
                "they have.",
                len(outcome.invited),
            )
            % {
                "n": len(outcome.invited),
                "addresses": ", ".join(i.email for i in outcome.invited),
            },
        )


def invitation_accept(request, token: str):
    """The link of a focal point's invitation: for someone without an account, a page that
    says what they were nominated for and leads to sign-up with the invited address (already
    verified: the link was mailed to it); for the holder of that address signed in, the
    nomination is made at once."""
    from allauth.account.adapter import get_adapter

    from network.models import User

    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404
    context = {"invitation": invitation, "run": invitation.run}
    if invitation.claimed_at is not None:
        if request.user.is_authenticated:
            return redirect("trainees:my_learning")
        context["state"] = "used"
    elif request.user.is_authenticated:
        made, problems = services.invitations_claim(user=request.user)
        claims_told(request, made, problems)
        if made or problems:
            return redirect(f"{reverse('trainees:profile')}?next={reverse('trainees:my_learning')}")
        context["state"] = "other_account"
    elif User.objects.filter(email__iexact=invitation.email).exists():
        context["state"] = "sign_in"
    else:
        get_adapter(request).stash_verified_email(request, invitation.email)
        context["state"] = "sign_up"
    context["profile_url"] = f"{reverse('trainees:profile')}?next={reverse('trainees:my_learning')}"
    return TemplateResponse(request, "trainees/invitation.html", context)


def claims_told(request, made, problems) -> None:
    for enrolment in made:
        messages.success(
            request,
            _(
                "Your nomination for %(run)s is recorded; the organiser's coordinator will "
                "decide on it. Complete your profile meanwhile: your names are needed for "
                "the course and its certificate."
            )
            % {"run": enrolment.run.display_title},
            fail_silently=True,
        )
    for problem in problems:
        messages.warning(request, problem, fail_silently=True)
