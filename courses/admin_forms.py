"""The course-run form of the Wagtail admin: choices limited to what the person may use, and
offered as they are looked for (a course by browsing from one's institution or by search, a
country by name or code, a time zone by its IANA name)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Locale

from core import hooks
from network import permissions
from network.models import Membership, User
from network.time_zones import country_time_zone, time_zone_names

from .models import CoursePage, CourseRun


class CourseChooser(AdminPageChooser):
    """Wagtail's page chooser for courses, opening at a given page (the coordinator's
    institution) until a course is chosen, then at the chosen course's curriculum."""

    js_constructor = "CourseChooser"

    def __init__(self, *args, start_page_id=None, **kwargs):
        super().__init__(*args, target_models=[CoursePage], **kwargs)
        self.start_page_id = start_page_id

    def get_js_init_options(self, id_, name, value_data):
        opts = super().get_js_init_options(id_, name, value_data)
        if self.start_page_id:
            opts["startParentId"] = self.start_page_id
        return opts

    @property
    def media(self):
        return super().media + forms.Media(js=["courses/course-chooser.js"])


def time_zone_choices():
    return [("", _("The host country's time zone")), *((n, n) for n in time_zone_names())]


class CourseRunForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        institutions = permissions.coordinated_institutions(for_user) if for_user else None
        start_page_id = None
        if institutions is not None:
            organiser = self.fields["organiser"]
            organiser.queryset = institutions.order_by("name")
            if not permissions.runs_the_network(for_user):
                # A coordinator's own institutions, usually one: a plain list, chosen already.
                own = list(organiser.queryset.only("pk", "name", "page_id"))
                organiser.widget = forms.Select(choices=organiser.choices)
                if len(own) == 1 and not self.instance.pk:
                    self.initial.setdefault("organiser", own[0].pk)
                start_page_id = own[0].page_id if own else None
            self.fields["trainers"].queryset = (
                User.objects.filter(
                    is_active=True,
                    memberships__role=Membership.Role.TRAINER,
                    memberships__institution__in=institutions,
                )
                .distinct()
                .order_by("last_name", "first_name", "email")
            )
            self.fields["trainers"].help_text = _(
                "People holding the trainer role in your institutions."
            )
        # Runs are scheduled for the course (its default-language page); every translation
        # of the course shows them. A translation found by the chooser's search stands for its
        # original (clean_course).
        course = self.fields["course"]
        course.queryset = CoursePage.objects.live()
        course.widget = CourseChooser(start_page_id=start_page_id)
        course.help_text = _(
            "Opens at your institution's curricula; search finds any published course of "
            "the network."
        )
        course.error_messages["invalid_choice"] = _(
            "Choose a published course: this one is not published."
        )
        self.fields["time_zone"] = forms.ChoiceField(
            label=capfirst(CourseRun._meta.get_field("time_zone").verbose_name),
            choices=time_zone_choices,
            required=False,
            help_text=_(
                "Sessions' times are in this zone. Left as it is, the host country's "
                "(its capital's where it has several; for a run online, the organiser's)."
            ),
            error_messages={
                "invalid_choice": _(
                    "“%(value)s” is not a time zone of the list; choose one such as "
                    "Europe/Belgrade."
                )
            },
        )
        if not self.instance.pk:
            self.initial["time_zone"] = ""
        # Inline parts other apps own (the certificate rules) limit their own choices.
        hooks.run_form_limit.collect(form=self, institutions=institutions)

    def clean_course(self):
        course = self.cleaned_data.get("course")
        if course is None or course.locale.language_code == settings.LANGUAGE_CODE:
            return course
        default = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
        original = course.get_translation_or_none(default) if default else None
        if original is None or not original.live:
            raise ValidationError(
                _(
                    "Runs are scheduled on a course's version in the platform's main "
                    "language, and “%(course)s” has none that is published."
                ),
                params={"course": course.title},
            )
        return original.specific

    def clean(self):
        data = super().clean()
        if not data.get("time_zone"):
            host, organiser = data.get("host_country"), data.get("organiser")
            if host is not None:
                data["time_zone"] = country_time_zone(host.code)
            elif organiser is not None and organiser.country_id:
                data["time_zone"] = country_time_zone(organiser.country.code)
            else:
                data["time_zone"] = "UTC"
        hooks.run_form_check.collect(form=self, data=data)
        return data
