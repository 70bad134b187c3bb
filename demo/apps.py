from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo network (`load_demo_data`), its staff's second-factor code
    (`demo_totp_code`) and the synthetic network for benchmarks (`generate_network`): the top
    floor, using every app's services and nothing below depends on it."""

    name = "demo"
    verbose_name = _("Demo data")
