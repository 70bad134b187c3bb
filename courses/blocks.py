"""StreamField blocks for curricula, courses, modules and lessons."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from pan_network.blocks import BodyBlock


class CalloutBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        label=_("Style"),
        choices=[
            ("key_points", _("Key points")),
            ("note", _("Note")),
            ("warning", _("Warning")),
            ("legal", _("Legal reference")),
        ],
        default="key_points",
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    points = blocks.ListBlock(blocks.CharBlock(label=_("Point")), label=_("Points"))

    class Meta:
        icon = "list-ul"
        label = _("Key points / callout")
        template = "blocks/callout_block.html"
        preview_value = {
            "style": "key_points",
            "title": "Key points",
            "points": [
                "Secure the scene before touching any device.",
                "Photograph screens and connections.",
            ],
        }


class LearningOutcomesBlock(blocks.StructBlock):
    intro = blocks.CharBlock(
        label=_("Introduction"),
        required=False,
        default="By the end of this training, participants will be able to:",
    )
    outcomes = blocks.ListBlock(blocks.CharBlock(label=_("Outcome")), label=_("Outcomes"))

    class Meta:
        icon = "tick-inverse"
        label = _("Learning outcomes")
        template = "blocks/learning_outcomes_block.html"
        preview_value = {
            "intro": "Participants will be able to:",
            "outcomes": ["Seize and preserve digital evidence", "Write a forensic report"],
        }


class CourseBodyBlock(BodyBlock):
    """The site's body blocks plus the teaching ones."""

    callout = CalloutBlock()
    learning_outcomes = LearningOutcomesBlock()
