"""The course-run form of the Wagtail admin: choices limited to what the person may use."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from core import hooks
from network import permissions
from network.models import Membership, User

from .models import CoursePage


class CourseRunForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        institutions = permissions.coordinated_institutions(for_user) if for_user else None
        if institutions is not None:
            self.fields["organiser"].queryset = institutions.order_by("name")
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
        # of the course shows them.
        self.fields["course"].queryset = (
            CoursePage.objects.live()
            .filter(locale__language_code=settings.LANGUAGE_CODE)
            .order_by("title")
        )
        # Inline parts other apps own (the certificate rules) limit their own choices.
        hooks.run_form_limit.collect(form=self, institutions=institutions)

    def clean(self):
        data = super().clean()
        hooks.run_form_check.collect(form=self, data=data)
        return data
