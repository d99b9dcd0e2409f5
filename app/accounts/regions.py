"""Region and North/South side of each country, for the balance statistics.

Regions follow the United Nations M49 standard (Statistics Division, "Standard
country or area codes for statistical use", geographic regions) collapsed into the
seven regional caucuses of the platform. The North/South side follows the M49
"developed / developing regions" designation as published until 2021, the
classification that most multi-stakeholder processes still use for balance: the
"developed" set (Europe, Northern America, Australia, New Zealand, Japan, Israel)
is the North, every other country is the South. The table is the project's own,
kept here so that anyone can read and challenge it; country names come from pycountry.
"""

import pycountry
from flask_babel import lazy_gettext as _l

from app.i18n.locale import territory_name

REGIONS = {
    "africa": _l("Africa"),
    "arab_states": _l("Arab States"),
    "asia_pacific": _l("Asia and the Pacific"),
    "europe": _l("Europe"),
    "latin_america_caribbean": _l("Latin America and the Caribbean"),
    "north_america": _l("North America"),
    "eurasia": _l("Eurasia and Central Asia"),
}

NORTH = "north"
SOUTH = "south"

# ISO 3166-1 alpha-2 -> region key. Countries not listed fall back by the rules below.
_ARAB_STATES = [
    "DZ",
    "BH",
    "KM",
    "DJ",
    "EG",
    "IQ",
    "JO",
    "KW",
    "LB",
    "LY",
    "MR",
    "MA",
    "OM",
    "PS",
    "QA",
    "SA",
    "SO",
    "SD",
    "SY",
    "TN",
    "AE",
    "YE",
]
_EURASIA = ["AM", "AZ", "BY", "GE", "KZ", "KG", "MD", "RU", "TJ", "TM", "UA", "UZ"]
_NORTH_AMERICA = ["US", "CA", "BM", "GL", "PM"]
_AFRICA = [
    "AO",
    "BJ",
    "BW",
    "BF",
    "BI",
    "CV",
    "CM",
    "CF",
    "TD",
    "CG",
    "CD",
    "CI",
    "GQ",
    "ER",
    "SZ",
    "ET",
    "GA",
    "GM",
    "GH",
    "GN",
    "GW",
    "KE",
    "LS",
    "LR",
    "MG",
    "MW",
    "ML",
    "MU",
    "MZ",
    "NA",
    "NE",
    "NG",
    "RW",
    "ST",
    "SN",
    "SC",
    "SL",
    "ZA",
    "SS",
    "TZ",
    "TG",
    "UG",
    "ZM",
    "ZW",
    "EH",
    "RE",
    "YT",
    "SH",
]
_LATIN_AMERICA = [
    "AG",
    "AR",
    "BS",
    "BB",
    "BZ",
    "BO",
    "BR",
    "CL",
    "CO",
    "CR",
    "CU",
    "DM",
    "DO",
    "EC",
    "SV",
    "GD",
    "GT",
    "GY",
    "HT",
    "HN",
    "JM",
    "MX",
    "NI",
    "PA",
    "PY",
    "PE",
    "KN",
    "LC",
    "VC",
    "SR",
    "TT",
    "UY",
    "VE",
    "AI",
    "AW",
    "BQ",
    "VG",
    "KY",
    "CW",
    "FK",
    "GF",
    "GP",
    "MQ",
    "MS",
    "PR",
    "BL",
    "MF",
    "SX",
    "TC",
    "VI",
    "GS",
]
_EUROPE = [
    "AL",
    "AD",
    "AT",
    "BE",
    "BA",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IS",
    "IE",
    "IT",
    "XK",
    "LV",
    "LI",
    "LT",
    "LU",
    "MT",
    "MC",
    "ME",
    "NL",
    "MK",
    "NO",
    "PL",
    "PT",
    "RO",
    "SM",
    "RS",
    "SK",
    "SI",
    "ES",
    "SE",
    "CH",
    "GB",
    "VA",
    "FO",
    "GI",
    "GG",
    "IM",
    "JE",
    "AX",
    "SJ",
]
_ASIA_PACIFIC_NORTH = ["AU", "NZ", "JP", "IL"]

_REGION_OF: dict[str, str] = {}
for codes, region in (
    (_ARAB_STATES, "arab_states"),
    (_EURASIA, "eurasia"),
    (_NORTH_AMERICA, "north_america"),
    (_AFRICA, "africa"),
    (_LATIN_AMERICA, "latin_america_caribbean"),
    (_EUROPE, "europe"),
):
    for code in codes:
        _REGION_OF[code] = region

# M49 "developed regions": Europe (including the European part of Eurasia listed below),
# Northern America, Australia, New Zealand, Japan, Israel.
_NORTH_CODES = (
    set(_EUROPE) | set(_NORTH_AMERICA) | set(_ASIA_PACIFIC_NORTH) | {"RU", "BY", "UA", "MD"}
)


def region_of(country_code: str | None) -> str | None:
    """Region key of an ISO alpha-2 country code; Asia and the Pacific for the rest of the world."""
    if not country_code:
        return None
    code = country_code.upper()
    if pycountry.countries.get(alpha_2=code) is None:
        return None
    return _REGION_OF.get(code, "asia_pacific")


def side_of(country_code: str | None) -> str | None:
    """North or South for an ISO alpha-2 country code (see the module docstring for the source)."""
    if not country_code or pycountry.countries.get(alpha_2=country_code.upper()) is None:
        return None
    return NORTH if country_code.upper() in _NORTH_CODES else SOUTH


def country_choices() -> list[tuple[str, str]]:
    """(alpha-2, name) pairs for every ISO 3166-1 country, sorted by name."""
    return sorted(
        ((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries),
        key=lambda pair: pair[1],
    )


def country_name(code: str | None) -> str:
    country = pycountry.countries.get(alpha_2=(code or "").upper()) if code else None
    local = territory_name(country.alpha_2) if country else None  # in the interface language
    return local or (getattr(country, "common_name", country.name) if country else (code or ""))
