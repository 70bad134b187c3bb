from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PanNetworkConfig(AppConfig):
    name = "pan_network"
    verbose_name = _("Network directory")

    def ready(self) -> None:
        from . import signals  # noqa: F401

        post_migrate.connect(signals.ensure_site_after_migrate, sender=self)
