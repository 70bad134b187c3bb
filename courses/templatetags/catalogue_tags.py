"""Template helpers for the catalogue and course pages: fragments cached across people."""

from django import template
from django.template.loader import get_template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from core import page_cache

register = template.Library()

CARD_TEMPLATE = "includes/course_card.html"


@register.simple_tag
def facet_select_options(group):
    """The <option>s of a long filter list. Built in one pass: a catalogue with hundreds of
    institutions would otherwise spend most of its rendering time in this loop."""
    return format_html_join(
        "",
        '<option value="{}"{}>{} ({})</option>',
        (
            (option.value, " selected" if option.selected else "", option.label, option.count)
            for option in group.options
        ),
    )


@register.simple_tag(takes_context=True)
def course_cards(context, courses):
    """The result cards of these courses, each kept as a fragment (keyed by the site version,
    the language and the course) and rendered only when missing: one cache read for the page."""
    request = context.get("request")
    courses = list(courses)
    keys = [page_cache.fragment_key(request, "card", course.pk) for course in courses]
    found = page_cache.fragments_get(request, keys)
    card = get_template(CARD_TEMPLATE)
    rendered = {}
    parts = []
    for key, course in zip(keys, courses, strict=True):
        html = found.get(key)
        if html is None:
            html = rendered[key] = card.render({"course": course, "request": request})
        parts.append(html)
    page_cache.fragments_set(request, rendered)
    return mark_safe("".join(parts))  # noqa: S308 (rendered by our own escaping template)


class FragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary: list):
        self.nodelist, self.name, self.vary = nodelist, name, vary

    def render(self, context):
        request = context.get("request")
        if not page_cache.fragments_enabled(request):
            return self.nodelist.render(context)
        key = page_cache.fragment_key(
            request, self.name, *(expression.resolve(context) for expression in self.vary)
        )
        html = page_cache.fragments_get(request, [key]).get(key)
        if html is None:
            html = self.nodelist.render(context)
            page_cache.fragments_set(request, {key: html})
        return html


@register.tag
def fragment(parser, token):
    """`{% fragment "name" value... %}...{% endfragment %}`: the enclosed part, kept across
    people under the site version, the language, the name and the values given. Nothing
    personal belongs inside: it is shown to whoever asks next for the same values."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("fragment needs a name")
    name = bits[1].strip("\"'")
    vary = [parser.compile_filter(bit) for bit in bits[2:]]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, name, vary)
