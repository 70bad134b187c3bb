"""The home page, the institution index and institution pages (made by the network app) become
the website app's. Only Django's idea of which app holds them changes: the tables keep their
names and rows, and the content types (which every page row and revision points to) move to
the new app label."""

import django.db.models.deletion
import core.pages
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


MOVED = ["homepage", "institutionindexpage", "institutionpage"]


def _move_content_types(apps, source, target) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not content_type.objects.filter(app_label=target, model=model).exists():
            content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def _content_types_to_website(apps, schema_editor) -> None:
    _move_content_types(apps, "pan_network", "website")


def _content_types_back(apps, schema_editor) -> None:
    _move_content_types(apps, "website", "pan_network")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('pan_network', '0006_erasure_request'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='HomePage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('intro', wagtail.fields.RichTextField(blank=True, verbose_name='introduction')),
                ('body', wagtail.fields.StreamField([('heading', 2), ('paragraph', 3), ('image', 7), ('video', 10), ('document', 13)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Text', 'max_length': 200}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Heading 2'), ('h3', 'Heading 3'), ('h4', 'Heading 4')], 'label': 'Level'}), 2: ('wagtail.blocks.StructBlock', [[('text', 0), ('level', 1)]], {}), 3: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul', 'h3', 'h4', 'document-link', 'blockquote'], 'icon': 'pilcrow', 'label': 'Rich text', 'preview_value': '<p>Community policing is a philosophy and a strategy.</p>', 'template': 'blocks/paragraph_block.html'}), 4: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'Image'}), 5: ('wagtail.blocks.CharBlock', (), {'label': 'Caption', 'max_length': 250, 'required': False}), 6: ('wagtail.blocks.CharBlock', (), {'help_text': 'Describe the image for people who cannot see it. Empty for decoration.', 'label': 'Alternative text', 'max_length': 250, 'required': False}), 7: ('wagtail.blocks.StructBlock', [[('image', 4), ('caption', 5), ('alt_text', 6)]], {}), 8: ('wagtail.embeds.blocks.EmbedBlock', (), {'help_text': 'A link to a hosted video.', 'label': 'Video URL'}), 9: ('wagtail.blocks.TextBlock', (), {'label': 'Transcript', 'required': False}), 10: ('wagtail.blocks.StructBlock', [[('video', 8), ('caption', 5), ('transcript', 9)]], {}), 11: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'label': 'Document'}), 12: ('wagtail.blocks.CharBlock', (), {'help_text': 'Defaults to the document title.', 'label': 'Link text', 'required': False}), 13: ('wagtail.blocks.StructBlock', [[('document', 11), ('title', 12)]], {})}, verbose_name='body')),
            ],
            options={
                'verbose_name': 'home page',
                'db_table': 'pan_network_homepage',
            },
            bases=(core.pages.ConstantCostPageMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='InstitutionIndexPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('intro', wagtail.fields.RichTextField(blank=True, verbose_name='introduction')),
            ],
            options={
                'verbose_name': 'institution index page',
                'db_table': 'pan_network_institutionindexpage',
            },
            bases=(core.pages.ConstantCostPageMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='InstitutionPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('intro', wagtail.fields.RichTextField(blank=True, verbose_name='introduction')),
                ('body', wagtail.fields.StreamField([('heading', 2), ('paragraph', 3), ('image', 7), ('video', 10), ('document', 13)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Text', 'max_length': 200}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Heading 2'), ('h3', 'Heading 3'), ('h4', 'Heading 4')], 'label': 'Level'}), 2: ('wagtail.blocks.StructBlock', [[('text', 0), ('level', 1)]], {}), 3: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul', 'h3', 'h4', 'document-link', 'blockquote'], 'icon': 'pilcrow', 'label': 'Rich text', 'preview_value': '<p>Community policing is a philosophy and a strategy.</p>', 'template': 'blocks/paragraph_block.html'}), 4: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'Image'}), 5: ('wagtail.blocks.CharBlock', (), {'label': 'Caption', 'max_length': 250, 'required': False}), 6: ('wagtail.blocks.CharBlock', (), {'help_text': 'Describe the image for people who cannot see it. Empty for decoration.', 'label': 'Alternative text', 'max_length': 250, 'required': False}), 7: ('wagtail.blocks.StructBlock', [[('image', 4), ('caption', 5), ('alt_text', 6)]], {}), 8: ('wagtail.embeds.blocks.EmbedBlock', (), {'help_text': 'A link to a hosted video.', 'label': 'Video URL'}), 9: ('wagtail.blocks.TextBlock', (), {'label': 'Transcript', 'required': False}), 10: ('wagtail.blocks.StructBlock', [[('video', 8), ('caption', 5), ('transcript', 9)]], {}), 11: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'label': 'Document'}), 12: ('wagtail.blocks.CharBlock', (), {'help_text': 'Defaults to the document title.', 'label': 'Link text', 'required': False}), 13: ('wagtail.blocks.StructBlock', [[('document', 11), ('title', 12)]], {})}, verbose_name='body')),
            ],
            options={
                'verbose_name': 'institution page',
                'db_table': 'pan_network_institutionpage',
            },
            bases=(core.pages.ConstantCostPageMixin, 'wagtailcore.page'),
        ),
            ],
        ),
        migrations.RunPython(_content_types_to_website, _content_types_back),
    ]
