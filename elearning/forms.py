"""The package upload form of the Wagtail admin: checked completely before anything is
stored, every problem shown on a line of its own."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from network import permissions

from .models import LessonPackage, LessonProgress
from .packages import PackageError, package_inspect


class ProblemListFileInput(forms.ClearableFileInput):
    """A file input that shows each of its errors on its own line. Wagtail's field template runs
    a field's errors together in one paragraph; a refused package can have dozens of problems.
    (``render_with_errors`` is Wagtail's hook for widgets that render their own errors.)"""

    def render_with_errors(self, name, value, attrs=None, renderer=None, errors=None):
        attrs = dict(attrs or {})
        problems_id = f"{attrs.get('id') or name}-problems"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = " ".join(
            part for part in (attrs.get("aria-describedby"), problems_id) if part
        )
        problems = format_html(
            '<ul class="upload-problems" id="{}">{}</ul>',
            problems_id,
            format_html_join(
                "", '<li><span class="error-message">{}</span></li>', ((e,) for e in errors or [])
            ),
        )
        return problems + self.render(name, value, attrs, renderer)


class LessonPackageForm(WagtailAdminModelForm):
    """Upload an xAPI (TinCan) or cmi5 zip; it is checked completely before anything is
    stored."""

    upload = forms.FileField(
        label=_("Package (zip)"),
        widget=ProblemListFileInput,
        help_text=_("An xAPI/TinCan zip with tincan.xml or a cmi5 zip with cmi5.xml."),
    )

    class Meta:
        model = LessonPackage
        fields = ["title", "institution", "upload"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Empty: the title in the package's manifest.")
        if for_user is not None:
            self.fields["institution"].queryset = permissions.editable_institutions(
                for_user
            ).order_by("name")

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        content = upload.read()
        try:
            package_inspect(content=content, filename=upload.name)
        except PackageError as error:
            raise forms.ValidationError(error.messages) from None
        self.content = content
        return upload


class WaiverForm(forms.Form):
    """Waive one lesson for one participant of a run."""

    enrolment = forms.TypedChoiceField(label=_("Participant"), coerce=int)
    lesson = forms.TypedChoiceField(label=_("Lesson"), coerce=int)
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", "---------"), *LessonProgress.WaiverReason.choices]
    )

    def __init__(self, *args, rows=(), lessons=(), **kwargs):
        super().__init__(*args, prefix="waiver", **kwargs)
        self.fields["enrolment"].choices = [("", "---------")] + [
            (
                row["enrolment"].pk,
                (row["profile"].latin_name if row["profile"] else "")
                or row["enrolment"].user.email,
            )
            for row in rows
        ]
        self.fields["lesson"].choices = [("", "---------")] + [
            (lesson.pk, lesson.title) for lesson in lessons
        ]
