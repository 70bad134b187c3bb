"""The names of the directory's reference data (countries, thematic areas) as translatable
strings: they are stored in English, and shown in the visitor's language through the
interface's catalogue (`label` on the models, `translated` elsewhere). An area an editor has
translated in Wagtail takes that translation instead."""

from django.utils.translation import gettext, gettext_noop

COUNTRY_NAMES = [
    gettext_noop("Albania"), gettext_noop("Andorra"), gettext_noop("Armenia"),
    gettext_noop("Austria"), gettext_noop("Azerbaijan"), gettext_noop("Belarus"),
    gettext_noop("Belgium"), gettext_noop("Bosnia and Herzegovina"), gettext_noop("Bulgaria"),
    gettext_noop("Canada"), gettext_noop("Croatia"), gettext_noop("Cyprus"),
    gettext_noop("Czechia"), gettext_noop("Denmark"), gettext_noop("Estonia"),
    gettext_noop("Finland"), gettext_noop("France"), gettext_noop("Georgia"),
    gettext_noop("Germany"), gettext_noop("Greece"), gettext_noop("Holy See"),
    gettext_noop("Hungary"), gettext_noop("Iceland"), gettext_noop("Ireland"),
    gettext_noop("Italy"), gettext_noop("Kazakhstan"), gettext_noop("Kyrgyzstan"),
    gettext_noop("Latvia"), gettext_noop("Liechtenstein"), gettext_noop("Lithuania"),
    gettext_noop("Luxembourg"), gettext_noop("Malta"), gettext_noop("Moldova"),
    gettext_noop("Monaco"), gettext_noop("Mongolia"), gettext_noop("Montenegro"),
    gettext_noop("Netherlands"), gettext_noop("North Macedonia"), gettext_noop("Norway"),
    gettext_noop("Poland"), gettext_noop("Portugal"), gettext_noop("Romania"),
    gettext_noop("Russian Federation"), gettext_noop("San Marino"), gettext_noop("Serbia"),
    gettext_noop("Slovakia"), gettext_noop("Slovenia"), gettext_noop("Spain"),
    gettext_noop("Sweden"), gettext_noop("Switzerland"), gettext_noop("Tajikistan"),
    gettext_noop("Türkiye"), gettext_noop("Turkmenistan"), gettext_noop("Ukraine"),
    gettext_noop("United Kingdom"), gettext_noop("United States of America"),
    gettext_noop("Uzbekistan"), gettext_noop("Algeria"), gettext_noop("Egypt"),
    gettext_noop("Israel"), gettext_noop("Jordan"), gettext_noop("Morocco"),
    gettext_noop("Tunisia"), gettext_noop("Afghanistan"), gettext_noop("Australia"),
    gettext_noop("Japan"), gettext_noop("Republic of Korea"), gettext_noop("Thailand"),
]  # fmt: skip

AREA_NAMES = [
    gettext_noop("General police development and reform"),
    gettext_noop("Community policing and police-public partnerships"),
    gettext_noop("Police education and training"),
    gettext_noop("Victims of crime and hate crime"),
    gettext_noop("Gender mainstreaming and multi-ethnic policing"),
    gettext_noop("Anti-corruption"),
    gettext_noop("Organized crime"),
    gettext_noop("Terrorism and violent extremism"),
    gettext_noop("Illicit drugs and chemical precursors"),
    gettext_noop("Trafficking in human beings"),
    gettext_noop("Cybercrime"),
    gettext_noop("Intelligence-led policing"),
    gettext_noop("Gender-based violence"),
    gettext_noop("Border security and management"),
    gettext_noop("Human rights and police accountability"),
    gettext_noop("Financial investigations and asset recovery"),
]

_KNOWN = frozenset(COUNTRY_NAMES) | frozenset(AREA_NAMES)


def translated(name: str) -> str:
    """A stored reference name in the active language (names the catalogue does not know,
    such as a country or area added later, are shown as stored)."""
    return gettext(name) if name in _KNOWN else name
