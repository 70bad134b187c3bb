from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: `backup` and `restore` of the database and both file trees."""

    name = "ops"
    verbose_name = _("Operations")
