from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CascadesConfig(AppConfig):
    name = "cascades"
    verbose_name = _("Cascades")

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
