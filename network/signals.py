"""Signal receivers: thin adapters that call a service."""

from . import services


def copied_for_translation(sender, source_obj, target_obj, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(source_obj, Page):
        services.translation_access_copy(source=source_obj, target=target_obj)
