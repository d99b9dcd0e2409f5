"""The bodies every summit starts with, created by `flask bodies seed`."""

from app.accounts.regions import REGIONS

BUREAU = "bureau"
PLENARY = "plenary"

# (slug, name, kind, team_role, is_open, purpose)
CORE_BODIES = [
    (
        BUREAU,
        "Bureau",
        "bureau",
        None,
        False,
        "Steers the civil society process between plenaries and speaks for it to the summit; "
        "its members are chosen by selection.",
    ),
    (
        PLENARY,
        "Plenary",
        "plenary",
        None,
        True,
        "The assembly of every participant: it sets the agenda, hears the teams and elects the Bureau.",
    ),
    (
        "general-team",
        "General team",
        "team",
        "general",
        False,
        "Follows the summit as a whole and prepares the plenary's general positions.",
    ),
    (
        "coordination-team",
        "Coordination team",
        "team",
        "coordination",
        False,
        "Keeps the teams, caucuses and working groups in step and runs the calendar.",
    ),
    (
        "drafting-team",
        "Drafting team",
        "team",
        "drafting",
        False,
        "Writes and co-edits the working drafts and publishes their new versions.",
    ),
    (
        "speaker-nomination-team",
        "Speaker nomination team",
        "team",
        "speaker_nomination",
        False,
        "Proposes balanced lists of speakers for the summit's sessions.",
    ),
    (
        "translation-team",
        "Translation team",
        "team",
        "translation",
        False,
        "Keeps the language versions of every document in step with the source text.",
    ),
]

# One body of focal points per stakeholder group: its members confirm group changes into the
# group and mark participants of the group as verified.
FOCAL_POINT_SLUGS = {
    "government": "government-focal-points",
    "civil_society": "civil-society-focal-points",
    "private_sector": "private-sector-focal-points",
    "international_organization": "international-organization-focal-points",
}
FOCAL_POINT_NAMES = {
    "government": "Government focal points",
    "civil_society": "Civil society focal points",
    "private_sector": "Private sector focal points",
    "international_organization": "International organization focal points",
}

REGIONAL_SLUGS = {key: key.replace("_", "-") + "-caucus" for key in REGIONS}

THEMATIC_CAUCUSES = [
    ("gender", "Gender caucus", "Brings gender equality and women's rights into every text."),
    ("youth", "Youth caucus", "Speaks for young people and for the generations to come."),
    (
        "digital-rights",
        "Digital rights caucus",
        "Defends privacy, free expression and security online.",
    ),
    (
        "environment",
        "Environment caucus",
        "Keeps climate, biodiversity and the planet's limits in view.",
    ),
    (
        "indigenous-peoples",
        "Indigenous peoples caucus",
        "Carries the rights, knowledge and self-determination of indigenous peoples.",
    ),
    (
        "disability",
        "Persons with disabilities caucus",
        "Makes accessibility and the rights of persons with disabilities part of every commitment.",
    ),
    ("labour", "Labour caucus", "Brings the voice of workers and their unions into the texts."),
    (
        "human-rights",
        "Human rights caucus",
        "Checks every commitment against international human rights law.",
    ),
    (
        "access-to-knowledge",
        "Access to knowledge caucus",
        "Works for open access, open education and fair copyright.",
    ),
    (
        "media-freedom",
        "Media freedom caucus",
        "Defends journalists, independent media and pluralism.",
    ),
    (
        "financing",
        "Financing for development caucus",
        "Follows how commitments are paid for, and by whom.",
    ),
    (
        "health",
        "Health caucus",
        "Brings public health and universal health coverage into the texts.",
    ),
    (
        "education",
        "Education caucus",
        "Works for inclusive, quality education and lifelong learning.",
    ),
    (
        "cultural-diversity",
        "Cultural diversity caucus",
        "Protects linguistic and cultural diversity, including online.",
    ),
    (
        "rural-communities",
        "Rural communities caucus",
        "Speaks for rural and remote communities and for connectivity where markets do not reach.",
    ),
    (
        "small-islands",
        "Small island states caucus",
        "Carries the concerns of small island developing states.",
    ),
    (
        "cities",
        "Cities and local governance caucus",
        "Brings local authorities' and city dwellers' experience into the texts.",
    ),
    (
        "open-data",
        "Open data and transparency caucus",
        "Works for open government data and transparent decision making.",
    ),
    (
        "peace",
        "Peace and security caucus",
        "Follows conflict prevention, disarmament and peace building.",
    ),
    (
        "migrants",
        "Migrants and refugees caucus",
        "Defends the rights of migrants, refugees and displaced people.",
    ),
]


def default_bodies() -> list[dict]:
    """Every default body as keyword arguments for Body()."""
    bodies = [
        dict(slug=slug, name=name, kind=kind, team_role=role, is_open=is_open, purpose=purpose)
        for slug, name, kind, role, is_open, purpose in CORE_BODIES
    ]
    for key, label in REGIONS.items():
        bodies.append(
            dict(
                slug=REGIONAL_SLUGS[key],
                name=f"{label} caucus",
                kind="regional_caucus",
                team_role=None,
                is_open=True,
                purpose=f"Gathers participants from {label} and carries the region's priorities.",
            )
        )
    for slug, name, purpose in THEMATIC_CAUCUSES:
        bodies.append(
            dict(
                slug=f"{slug}-caucus",
                name=name,
                kind="thematic_caucus",
                team_role=None,
                is_open=True,
                purpose=purpose,
            )
        )
    for group, slug in FOCAL_POINT_SLUGS.items():
        bodies.append(
            dict(
                slug=slug,
                name=FOCAL_POINT_NAMES[group],
                kind="focal_points",
                team_role=None,
                is_open=False,
                purpose="Confirm changes into the stakeholder group and verify its participants.",
            )
        )
    return bodies
