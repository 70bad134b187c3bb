from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    # The label the tables, migrations and permissions were made under; kept so no data moves.
    label = "pan_network"
    verbose_name = _("Network directory")

    def ready(self) -> None:
        from django.core import checks

        from . import signals, storage

        checks.register(storage.check_storage_locations, checks.Tags.security)

        post_migrate.connect(signals.ensure_site_after_migrate, sender=self)

        # Anything shown on public pages invalidates the page cache when it changes.
        from django.apps import apps
        from wagtail.signals import (
            copy_for_translation_done,
            page_published,
            page_unpublished,
            post_page_move,
        )

        # A page copied into another language keeps who may edit it and how it is moderated.
        copy_for_translation_done.connect(signals.copied_for_translation, weak=False)

        for label in ("pan_network", "courses", "wagtailcore", "wagtailimages", "wagtaildocs"):
            for model in apps.get_app_config(label).get_models():
                if model.__name__.endswith("Rendition"):
                    continue  # made on first view of an image, not a content change
                post_save.connect(signals.content_changed, sender=model, weak=False)
                post_delete.connect(signals.content_changed, sender=model, weak=False)
        # Places left in a run are shown on course pages.
        enrolment = apps.get_model("trainees", "Enrolment")
        post_save.connect(signals.content_changed, sender=enrolment, weak=False)
        post_delete.connect(signals.content_changed, sender=enrolment, weak=False)
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(signals.content_changed, weak=False)
