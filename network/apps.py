from django.apps import AppConfig
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

        # A page copied into another language keeps who may edit it and how it is moderated.
        from wagtail.signals import copy_for_translation_done

        copy_for_translation_done.connect(signals.copied_for_translation, weak=False)
