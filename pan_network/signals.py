"""Signal receivers: thin adapters that call a service."""

from . import services


def ensure_site_after_migrate(sender, **kwargs) -> None:
    # Runs once per `migrate`, after every app's migrations, like Django's own permission setup.
    services.site_ensure()
