"""StreamField blocks of certificate templates."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class LogoBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(label=_("name of the organisation"), max_length=120, required=False)

    class Meta:
        icon = "image"
        label = _("Logo")
