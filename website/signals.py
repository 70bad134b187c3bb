"""Signal receivers: thin adapters that call a service."""

from core import page_cache

from . import services


def ensure_site_after_migrate(sender, **kwargs) -> None:
    # Runs once per `migrate`, after every app's migrations, like Django's own permission setup.
    # A database just emptied by `flush` (transactional tests) has no page tree to build on.
    from wagtail.models import Page

    if Page.get_first_root_node() is not None:
        services.site_ensure()


def content_changed(sender, **kwargs) -> None:
    page_cache.site_version_bump()
