"""Turn the demo data (demo.dataset) into rows and pages through the apps' own services, one
step per concern, in the order they depend on each other. Whatever already exists (looked up by
slug, title or e-mail) is left as it is, except that the demo passwords are put back."""

from __future__ import annotations

from demo.dataset import SUPERUSER, TRAINEE, DemoData

from .base import Loader
from .cascade import load_cascade
from .certificates import load_certificates
from .learning import load_elearning
from .pages import load_curricula, load_institutions, load_submission, load_translations
from .people import load_logins, load_officers
from .runs import load_followups, load_runs

STEPS = (
    load_institutions,
    load_curricula,
    load_logins,
    load_submission,
    load_officers,
    load_runs,
    load_elearning,
    load_certificates,
    load_cascade,
    load_followups,
    load_translations,
)


def load(data: DemoData, *, stdout, style) -> Loader:
    """Every step in one go (the caller holds the transaction); the loader keeps the counts."""
    from reports import services as report_services
    from website import services as website_services

    website_services.site_ensure()
    loader = Loader(data, stdout=stdout, style=style)
    for step in STEPS:
        step(loader)
    # The figures of dashboards and cascades, from everything loaded above.
    report_services.tallies_rebuild()
    return loader


def logins_markdown(data: DemoData) -> str:
    """The demo logins as a Markdown table (e-mail, password, role, scope), padded so that it
    also reads well in a terminal. The README's table is this one."""
    from network.models import Country, Membership
    from network.names import translated

    institutions = {i["slug"]: i["name"] for i in data.institutions}
    rows = [("E-mail", "Password", "Role", "Scope")]
    for user in data.logins:
        role = user["role"]
        if role == SUPERUSER:
            label, scope = "Administrator (superuser)", "whole platform"
        elif role == TRAINEE:
            label, scope = "Trainee (no staff role)", "own learning"
        else:
            label = str(Membership.Role(role).label)
            if user.get("institution"):
                scope = institutions[user["institution"]]
            elif user.get("country"):
                scope = translated(Country.objects.get(code=user["country"]).name)
            else:
                scope = "whole network"
        rows.append((user["email"], user["password"], label, scope))

    widths = [max(len(row[i]) for row in rows) for i in range(4)]

    def line(cells) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(rows[0]), separator, *(line(row) for row in rows[1:])])
