"""The course-run form of the Wagtail admin: choices limited to what the person may use."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from pan_network import permissions
from pan_network.models import Membership, User

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
        rules = self.formsets.get("certificate_rules")
        if rules is not None and institutions is not None:
            from certificates.models import CertificateTemplate

            templates = CertificateTemplate.objects.filter(institution__in=institutions)
            for form in [*rules.forms, rules.empty_form]:
                form.fields["template"].queryset = templates.order_by("name")

    def clean(self):
        from certificates.models import rule_errors

        data = super().clean()
        rules = self.formsets.get("certificate_rules")
        organiser = data.get("organiser")
        if rules is None or not hasattr(rules, "cleaned_data"):
            return data
        for form in rules.forms:
            rule = form.cleaned_data if hasattr(form, "cleaned_data") else {}
            if not rule or rule.get("DELETE"):
                continue
            problems = rule_errors(
                kind=rule.get("kind"),
                template=rule.get("template"),
                organiser_id=organiser.pk if organiser is not None else None,
                is_training_of_trainers=bool(data.get("is_training_of_trainers")),
            )
            for field, message in problems.items():
                form.add_error(field, message)
        return data
