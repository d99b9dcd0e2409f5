"""Demo participants for `flask demo load` (password for all: DEMO_PASSWORD)."""

import pathlib

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.services import register_user
from app.extensions import db

DEMO_PASSWORD = "agora-demo-2026"

# (e-mail, name, group, country, organization, is_admin)
DEMO_PEOPLE = [
    (
        "admin@example.org",
        "Ada Admin",
        "international_organization",
        "CH",
        "Summit secretariat",
        True,
    ),
    ("amina@example.org", "Amina Njoroge", "civil_society", "KE", "Open Governance Kenya", False),
    (
        "lucas@example.org",
        "Lucas Pereira",
        "government",
        "BR",
        "Ministry of Foreign Affairs, Brazil",
        False,
    ),
    ("mei@example.org", "Mei Tan", "private_sector", "SG", "Straits Digital", False),
    (
        "olga@example.org",
        "Olga Brandt",
        "international_organization",
        "AT",
        "UN Office at Vienna",
        False,
    ),
    (
        "karim@example.org",
        "Karim Haddad",
        "civil_society",
        "EG",
        "Arab Digital Rights Forum",
        False,
    ),
    (
        "sophie@example.org",
        "Sophie Martin",
        "government",
        "FR",
        "Ministère de l’Europe et des Affaires étrangères",
        False,
    ),
    ("priya@example.org", "Priya Raman", "civil_society", "IN", "Community Networks India", False),
    (
        "diego@example.org",
        "Diego Fernández",
        "civil_society",
        "AR",
        "Fundación Datos Abiertos",
        False,
    ),
    ("aigerim@example.org", "Aigerim Sadykova", "civil_society", "KZ", "Steppe Civic Lab", False),
    ("tomas@example.org", "Tomás Novák", "civil_society", "CZ", "Digital Citizens Prague", False),
    ("grace@example.org", "Grace Mensah", "civil_society", "GH", "West Africa Youth IGF", False),
    ("john@example.org", "John Carter", "private_sector", "US", "Carter Networks", False),
]


def load_demo(drafts_dir: pathlib.Path) -> None:
    """Create the demo people who are not there yet."""
    existing = set(db.session.scalars(select(User.email)))
    for email, name, group, country, organization, is_admin in DEMO_PEOPLE:
        if email in existing:
            continue
        register_user(
            email=email,
            name=name,
            password=DEMO_PASSWORD,
            group=group,
            country=country,
            organization=organization,
            is_admin=is_admin,
            verified=True,  # demo people get list and notification mail at once
        )
