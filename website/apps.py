from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = _("Website")

    def ready(self) -> None:
        from django.apps import apps
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import receivers, signals

        receivers.connect()
        post_migrate.connect(signals.ensure_site_after_migrate, sender=self)

        # Anything shown on public pages invalidates the page cache when it changes.
        labels = (
            "pan_network",
            "website",
            "courses",
            "wagtailcore",
            "wagtailimages",
            "wagtaildocs",
        )
        for label in labels:
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
