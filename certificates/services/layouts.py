"""Certificate templates as layouts for the renderer, cached per process (the same images serve
thousands of certificates)."""

from __future__ import annotations

import logging
from functools import lru_cache

from .. import rendering
from ..models import (
    CertificateTemplate,
    fill_placeholders,
)

logger = logging.getLogger(__name__)


# Templates: layout (cached per process: the same images serve thousands of certificates)
# ---------------------------------------------------------------------------------------------


def _image_bytes(image) -> bytes | None:
    if image is None:
        return None
    try:
        with image.file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        logger.warning("Certificate image %s is missing its file", image.pk)
        return None


def _layout_of(template: CertificateTemplate) -> rendering.Layout:
    logos = tuple(
        data
        for block in template.logos
        if (data := _image_bytes(block.value.get("image"))) is not None
    )
    return rendering.Layout(
        orientation=template.orientation,
        primary_colour=template.primary_colour,
        accent_colour=template.accent_colour,
        background=_image_bytes(template.background),
        logos=logos,
        signatories=tuple(
            rendering.Signatory(
                name=s.name, position=s.position, signature=_image_bytes(s.signature)
            )
            for s in template.signatories.all()
        ),
    )


@lru_cache(maxsize=64)
def _cached_layout(template_id: int, updated_at) -> rendering.Layout:
    template = CertificateTemplate.objects.prefetch_related("signatories").get(pk=template_id)
    return _layout_of(template)


def _texts(template: CertificateTemplate) -> dict:
    return {text.language: text for text in template.texts.all()}


def _fill(text: str, values: dict) -> str:
    return fill_placeholders(text, values)


# ---------------------------------------------------------------------------------------------
