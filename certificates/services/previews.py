"""A template's preview in the admin."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .. import rendering, selectors
from ..models import (
    CertificateTemplate,
    Kind,
)
from .layouts import _fill, _layout_of

# Template preview in the admin
# ---------------------------------------------------------------------------------------------


def template_preview_pdf(*, template: CertificateTemplate, language: str) -> bytes:
    """A sample certificate from an unsaved or saved template (Wagtail's preview)."""
    texts = {text.language: text for text in template.texts.all()}
    text = texts.get(language) or next(iter(texts.values()), None)
    native = template.sample_name or "ნინო ბერიძე"
    latin = template.sample_name or "Nino Beridze"
    values = {
        "name": native,
        "name_latin": latin,
        "course": "Cybercrime investigation for trainers",
        "run": "Cybercrime investigation for trainers · Belgrade 2026",
        "dates": "14.09.2026 – 02.10.2026",
        "hours": 120,
        "institution": template.institution.name if template.institution_id else "",
        "country": "Serbia",
        "kind": str(Kind.COMPLETION.label),
    }
    code = "0" * 13
    content = rendering.Content(
        title=text.title_for("completion") if text else str(Kind.COMPLETION.label),
        body=_fill(text.body, values) if text else "",
        holder_name=native,
        holder_name_latin=latin,
        code=code,
        verify_url=selectors.verify_url(code),
        language=language,
        pdf_title="Preview",
        pdf_author=values["institution"],
        pdf_subject="Preview",
    )
    return rendering.render(_layout_of(template), content)


def template_preview_response(*, template: CertificateTemplate, language: str):
    from django.http import HttpResponse

    problems = []
    if template.sample_name:
        missing = rendering.missing_characters(template.sample_name)
        if missing:
            problems.append(
                _("The certificate fonts cannot print %(c)s in the sample name.")
                % {"c": " ".join(missing)}
            )
    for text in template.texts.all():
        for value in (text.body, text.participation_title, text.completion_title):
            missing = rendering.missing_characters(value or "")
            if missing:
                problems.append(
                    _("The %(lang)s text has characters the fonts cannot print: %(c)s")
                    % {"lang": text.language, "c": " ".join(missing)}
                )
    if problems:
        from django.utils.html import escape

        items = "".join(f"<li>{escape(p)}</li>" for p in problems)
        return HttpResponse(
            f"<!doctype html><title>Preview</title><h1>{escape(_('Not printable'))}</h1>"
            f"<ul>{items}</ul>",
            status=200,
        )
    pdf = template_preview_pdf(template=template, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="certificate-preview.pdf"'
    return response
