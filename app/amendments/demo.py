"""Demo amendments on "best-practice": positions that make equal weight and headcount differ."""

import logging
import re
from pathlib import Path

from sqlalchemy import select

from app.accounts.models import User
from app.amendments import proceedings, services
from app.bodies.queries import bodies_user_can_speak_for
from app.documents.models import Document
from app.extensions import db

log = logging.getLogger(__name__)

PEOPLE = ("amina", "lucas", "mei", "olga", "karim", "sophie")


def _people() -> dict[str, User]:
    emails = [f"{name}@example.org" for name in PEOPLE]
    users = db.session.scalars(select(User).where(User.email.in_(emails))).all()
    return {u.email.split("@")[0]: u for u in users}


def _caucus_of(user):
    """A caucus or working group the person belongs to, to show a body's position."""
    return next((b for b in bodies_user_can_speak_for(user) if b.kind != "team"), None)


def _modified(text: str, n: int) -> str:
    if re.search(r"\bshould\b", text) and n % 2 == 0:
        return re.sub(r"\bshould\b", "shall", text, count=1)
    return text.rstrip() + (
        " This applies equally to governments, civil society, the private sector and "
        "international organizations."
        if n % 2
        else " Progress is reviewed every year in public."
    )


def load_demo(drafts_dir: Path) -> None:
    document = db.session.scalar(select(Document).where(Document.slug == "best-practice"))
    people = _people()
    if document is None or document.current_version is None or len(people) < len(PEOPLE):
        log.info("amendments demo skipped: best-practice or the demo people are missing")
        return
    if document.status != "open":
        document.status = "open"
    paragraphs = [
        p
        for p in document.current_version.paragraphs
        if not p.text.lstrip().startswith(("#", "|", "```", "---"))
    ]
    if len(paragraphs) < 4:
        log.info("amendments demo skipped: best-practice has too few paragraphs")
        return
    civil_society = list(
        db.session.scalars(select(User).where(User.group == "civil_society").order_by(User.id))
    )
    first, second, third, fourth = paragraphs[1], paragraphs[2], paragraphs[3], paragraphs[-1]

    binding = _modified(first.text, 0)
    by_government = services.propose_amendment(
        document,
        people["lucas"],
        kind="modify",
        paragraph=first.key,
        text=binding,
        rationale="Binding language gives the commitment weight in national implementation."
        if "shall" in binding and "shall" not in first.text
        else "A yearly public review keeps the commitment honest.",
    )
    by_private = services.propose_amendment(
        document,
        people["mei"],
        kind="insert",
        after=second.key,
        text="Stakeholders publish, once a year, how they took part and with what resources.",
        rationale="Transparency about participation builds trust across groups.",
    )
    by_civil = services.propose_amendment(
        document,
        people["amina"],
        kind="modify",
        paragraph=third.key,
        text=_modified(third.text, 1),
        rationale="Equal footing of the four groups should be explicit here.",
        on_behalf_of=_caucus_of(people["amina"]),
    )
    services.propose_amendment(
        document,
        people["olga"],
        kind="delete",
        paragraph=fourth.key,
        rationale="The paragraph repeats what the introduction already says.",
    )
    # Three groups support with few people; civil society, numerous, opposes: equal weight
    # 75% (three groups of four) while headcount falls below one half.
    for user in (people["lucas"], people["sophie"], people["mei"], people["olga"]):
        services.set_position(by_government, user, "support")
    for user in civil_society:
        services.set_position(by_government, user, "oppose")
    # Civil society in numbers supports; one government opposes; the IO abstains.
    for user in [*civil_society, people["mei"]]:
        services.set_position(by_private, user, "support")
    services.set_position(by_private, people["lucas"], "oppose")
    services.set_position(by_private, people["olga"], "abstain")
    for user in (people["amina"], people["karim"], people["olga"], people["mei"]):
        services.set_position(by_civil, user, "support")
    services.set_position(by_civil, people["sophie"], "oppose")
    proceedings.add_comment(
        by_government,
        people["karim"],
        "Civil society agrees on the aim, but *shall* without a review mechanism is hollow.",
    )
    proceedings.set_paragraph_status(
        document, people["amina"], first.key, "bracketed", "Wording under negotiation"
    )
    proceedings.set_paragraph_status(document, people["amina"], paragraphs[0].key, "agreed")
