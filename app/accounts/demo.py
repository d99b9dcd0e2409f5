"""Demo participants for `flask demo load` (password for all: DEMO_PASSWORD).

The password is printed in the README, so whoever can reach the server can sign in as the demo
administrator. Demo accounts may therefore sign in only on a server bound to loopback: on any
other run they are created with unusable passwords (their sample contributions stay), and a
server start beyond loopback, or in production, refuses while one still has the known password.
"""

import ipaddress
import pathlib
import secrets

from flask import current_app
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.passwords import hash_password, verify_password
from app.accounts.services import register_user, renew_session_epoch
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


def is_loopback(host: str) -> bool:
    """True for an address that only this machine reaches (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def load_demo(drafts_dir: pathlib.Path) -> None:
    """Create the demo people who are not there yet; with DEMO_SIGN_IN off (a server reachable
    beyond this machine) they get no usable password."""
    sign_in = current_app.config.get("DEMO_SIGN_IN", True)
    existing = set(db.session.scalars(select(User.email)))
    for email, name, group, country, organization, is_admin in DEMO_PEOPLE:
        if email in existing:
            continue
        register_user(
            email=email,
            name=name,
            password=DEMO_PASSWORD if sign_in else secrets.token_urlsafe(32),
            group=group,
            country=country,
            organization=organization,
            is_admin=is_admin,
            verified=True,  # demo people get list and notification mail at once
        )


def _demo_users() -> list[User]:
    emails = [person[0] for person in DEMO_PEOPLE]
    return list(db.session.scalars(select(User).where(User.email.in_(emails))))


def open_demo_accounts() -> list[User]:
    """The demo accounts one can still sign in to with the published password."""
    return [user for user in _demo_users() if verify_password(user.password_hash, DEMO_PASSWORD)]


def lock_demo_accounts() -> list[User]:
    """Give every open demo account an unusable password; their contributions stay."""
    locked = open_demo_accounts()
    for user in locked:
        user.password_hash = hash_password(secrets.token_urlsafe(32))
        renew_session_epoch(user)  # signs out whoever was signed in with the known password
    db.session.flush()
    return locked
