"""Demo discussions for `flask demo load`: a few threads in bodies and on the Best Practice draft."""

import pathlib
from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.bodies.queries import body_by_slug, is_member
from app.core.timeutil import utcnow
from app.discussion import services
from app.discussion.models import Message, Topic
from app.documents.models import Document
from app.extensions import db

# place ("body:<slug>" or "document:<slug>"), title, behalf slug or None,
# then messages: (author e-mail, text, index of the message answered or None for the first).
THREADS = [
    (
        "body:drafting-team",
        "Timeline for the second revision",
        None,
        [
            (
                "amina@example.org",
                "Proposed timeline:\n\n1. amendments close on Friday;\n2. the team meets "
                "on Monday to merge;\n3. **Rev.2** is published on Wednesday.\n\nObjections?",
                None,
            ),
            (
                "lucas@example.org",
                "Monday works for the government colleagues. Could we keep a half-day "
                "for the translation team before publishing?",
                0,
            ),
            (
                "amina@example.org",
                "Good point: Rev.2 on Thursday then, after the translators' check.",
                1,
            ),
            ("karim@example.org", "Thank you. Arabic and French will be ready within a day.", 2),
        ],
    ),
    (
        "body:plenary",
        "Speaking order for the opening session",
        None,
        [
            (
                "olga@example.org",
                "Should the opening session alternate stakeholder groups for speakers? "
                "Last year two governments spoke back to back for forty minutes.",
                None,
            ),
            (
                "mei@example.org",
                "Alternating groups, with a **five-minute** limit, seems fair to the "
                "private sector.",
                0,
            ),
            (
                "grace@example.org",
                "And alternate North and South, please: youth from the South rarely "
                "get the floor early.",
                0,
            ),
        ],
    ),
    (
        "document:best-practice",
        "Does the draft say enough about remote participation?",
        None,
        [
            (
                "priya@example.org",
                "Many community networks join remotely. The draft mentions remote "
                "participation once; should it have its own paragraph on interpretation and time zones?",
                None,
            ),
            (
                "sophie@example.org",
                "Agreed in principle. An amendment proposing a paragraph after the "
                "one on transparency would be the right way to do it.",
                0,
            ),
            (
                "diego@example.org",
                "I will draft it with the Latin American caucus and post it here first.",
                1,
            ),
        ],
    ),
    (
        "document:best-practice",
        "Plain language",
        "drafting-team",
        [
            (
                "amina@example.org",
                "The drafting team will do a plain-language pass on Rev.2. Please "
                "point to sentences that are hard to read or translate.",
                None,
            ),
            ("tomas@example.org", "The second paragraph has a sixty-word sentence.", 0),
        ],
    ),
    (
        "body:digital-rights-caucus",
        "Our position on encryption in the best practice draft",
        "digital-rights-caucus",
        [
            (
                "mei@example.org",
                "Proposed caucus position: the draft should name **end-to-end encryption** "
                "as a safeguard for participants who work remotely. Comments by Friday, "
                "then I file it as an amendment on behalf of the caucus.",
                None,
            ),
            (
                "karim@example.org",
                "Support. Please add that no participant should be asked to install "
                "software that weakens it.",
                0,
            ),
            (
                "olga@example.org",
                "International organizations can live with this wording; keep it short.",
                0,
            ),
        ],
    ),
    (
        "body:digital-rights-caucus",
        "Accessibility of the online sessions",
        None,
        [
            (
                "karim@example.org",
                "Several members asked for captions in the online sessions. Does anyone "
                "know a service that handles Arabic and French?",
                None,
            ),
            ("mei@example.org", "I will ask the secretariat what it used last year.", 0),
        ],
    ),
    (
        "body:gender-caucus",
        "Gender balance of the speakers' list",
        "gender-caucus",
        [
            (
                "sophie@example.org",
                "The caucus asks the speaker nomination team for a list that alternates "
                "women and men, with at least half of the slots for women from the South.",
                None,
            ),
            (
                "amina@example.org",
                "Agreed. We should also ask for the figures of the last two summits so "
                "that the request rests on numbers.",
                0,
            ),
        ],
    ),
    (
        "body:gender-caucus",
        "Reading group on the revised draft",
        None,
        [
            (
                "amina@example.org",
                "Who would like to read Rev.2 together on Tuesday and mark the paragraphs "
                "where gender is missing?",
                None,
            ),
            ("sophie@example.org", "Count me in; I can host the call.", 0),
        ],
    ),
]


def _place(spec: str):
    kind, _, slug = spec.partition(":")
    if kind == "body":
        body = body_by_slug(slug)
        return {"body": body} if body else None
    document = db.session.scalar(select(Document).where(Document.slug == slug))
    return {"document": document} if document else None


def _exists(place: dict, title: str) -> bool:
    where = [Topic.title == title]
    if "body" in place:
        where.append(Topic.body_id == place["body"].id)
    else:
        where.append(Topic.document_id == place["document"].id)
    return db.session.scalar(select(Topic.id).where(*where).limit(1)) is not None


def load_demo(drafts_dir: pathlib.Path) -> None:
    """Post the demo threads whose place and people exist; skip the others quietly.

    Idempotent: a thread whose title already exists in its place is not posted again.
    """
    _post_threads()


def _post_threads() -> None:
    people = {u.email: u for u in db.session.scalars(select(User))}
    start = utcnow() - timedelta(days=len(THREADS) + 1)
    for n, (place_spec, title, behalf_slug, messages) in enumerate(THREADS):
        place = _place(place_spec)
        authors = [people.get(email) for email, _, _ in messages]
        if place is None or None in authors or _exists(place, title):
            continue
        behalf = body_by_slug(behalf_slug) if behalf_slug else None
        if behalf is not None and not is_member(authors[0], behalf.id):
            behalf = None
        topic = services.start_topic(
            authors[0], title=title, text=messages[0][1], on_behalf_of=behalf, **place
        )
        posted: list[Message] = [topic.messages[0]]
        for author, (_, text, answers) in zip(authors[1:], messages[1:], strict=True):
            posted.append(services.reply(author, topic, text=text, parent=posted[answers]))
        # Spread the demo over the past days so that browsing by date shows several days.
        for k, message in enumerate(posted):
            message.created_at = start + timedelta(days=n, hours=2 * k + 1)
        topic.created_at = posted[0].created_at
        topic.last_post_at = posted[-1].created_at
        db.session.flush()
