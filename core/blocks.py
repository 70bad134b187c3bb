"""StreamField blocks shared by every page of the site (headings, rich text, images, video,
documents); the apps add their own (courses: callouts, outcomes, quizzes)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3")), ("h4", _("Heading 4"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading_block.html"
        preview_value = {"text": "Digital evidence", "level": "h2"}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=250,
        help_text=_("Describe the image for people who cannot see it. Empty for decoration."),
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image_block.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Video URL"), help_text=_("A link to a hosted video."))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)
    transcript = blocks.TextBlock(label=_("Transcript"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"), required=False, help_text=_("Defaults to the document title.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "blocks/document_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Rich text"),
        icon="pilcrow",
        features=["bold", "italic", "link", "ol", "ul", "h3", "h4", "document-link", "blockquote"],
        template="blocks/paragraph_block.html",
        preview_value="<p>Community policing is a philosophy and a strategy.</p>",
    )
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
