"""The trainer registry (/manage/trainers/) and a trainer's own entry (/my/trainer/)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from cascades import permissions as cascade_permissions
from core import exports
from core.languages import LANGUAGE_CHOICES, LANGUAGE_NAMES
from courses.models import CoursePage
from network.models import Country
from trainees.views import staff_page

from . import selectors, services
from .models import TrainerListing

PAGE_SIZE = 50


def _filters(params) -> tuple[dict, dict]:
    from network.selectors import area_names

    chosen, errors = {}, {}
    raw = (params.get("course") or "").strip()
    if raw:
        chosen["course"] = CoursePage.objects.filter(pk=raw).first() if raw.isdigit() else None
        if chosen["course"] is None:
            errors["course"] = _("There is no course “%(value)s”.") % {"value": raw[:20]}
    theme = (params.get("theme") or "").strip()
    if theme:
        if theme in area_names():
            chosen["theme"] = theme
        else:
            errors["theme"] = _("There is no thematic area “%(value)s”.") % {"value": theme[:40]}
    code = (params.get("country") or "").strip().upper()
    if code:
        chosen["country"] = Country.objects.filter(code=code).first()
        if chosen["country"] is None:
            errors["country"] = _("“%(value)s” is not a country of the network.") % {
                "value": code[:10]
            }
    language = (params.get("language") or "").strip()
    if language:
        if language in LANGUAGE_NAMES:
            chosen["language"] = language
        else:
            errors["language"] = _("“%(value)s” is not a language code we know.") % {
                "value": language[:10]
            }
    return chosen, errors


def _rows(trainers) -> tuple[list, list]:
    header = [
        _("Trainer"),
        _("Country"),
        _("Institution"),
        _("Languages"),
        _("Certified for"),
        _("Thematic areas"),
        _("Runs delivered"),
    ]
    rows = [
        [
            t.name,
            t.country,
            t.institution,
            ", ".join(str(LANGUAGE_NAMES.get(code, code)) for code in t.languages),
            "; ".join(f"{c['course']} ({c['issued_at']:%Y})" for c in t.certificates),
            ", ".join(sorted(t.themes)),
            len(t.runs),
        ]
        for t in trainers
    ]
    return header, rows


@staff_page
def trainer_registry(request):
    from network.selectors import area_names

    scope = cascade_permissions.registry_scope(request.user)
    if scope is None:
        raise PermissionDenied
    chosen, errors = _filters(request.GET)
    for name, problem in errors.items():
        messages.error(request, f"{name}: {problem}")
    trainers = [] if errors else selectors.trainer_registry(scope=scope, **chosen)
    fmt = request.GET.get("format", "")
    if fmt and not errors:
        header, rows = _rows(trainers)
        if fmt == "csv":
            return exports.csv_response(header, rows, filename="trainers.csv")
        if fmt == "xlsx":
            return exports.xlsx_response([(_("Trainers"), header, rows)], filename="trainers.xlsx")
        raise Http404
    page = Paginator(trainers, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "cascades/registry.html",
        {
            "page": page,
            "count": len(trainers),
            "chosen": chosen,
            "query": query.urlencode(),
            "courses": CoursePage.objects.live()
            .filter(is_training_of_trainers=True, locale__language_code=settings.LANGUAGE_CODE)
            .order_by("title")
            .only("pk", "title"),
            "areas": area_names().items(),
            "countries": Country.objects.order_by("name").only("code", "name"),
            "languages": LANGUAGE_CHOICES,
            "everyone": scope.get("all", False),
        },
        status=400 if errors else 200,
    )


@login_required
def my_listing(request):
    """A trainer chooses whether other institutions may find them, and their languages."""
    listing = TrainerListing.objects.filter(user=request.user).first()
    if request.method == "POST":
        try:
            services.trainer_listing_save(
                user=request.user,
                listed=request.POST.get("listed") == "on",
                languages=request.POST.getlist("languages"),
            )
        except ValidationError as error:
            for problems in error.message_dict.values():
                for problem in problems:
                    messages.error(request, problem)
        else:
            messages.success(request, _("Your entry in the trainer registry is saved."))
            return redirect("trainer_listing")
    return TemplateResponse(
        request,
        "cascades/my_listing.html",
        {
            "listing": listing,
            "languages": LANGUAGE_CHOICES,
            "chosen": set(listing.languages) if listing else set(),
            "field": TrainerListing._meta.get_field("listed"),
        },
    )
