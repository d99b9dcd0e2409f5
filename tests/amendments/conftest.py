"""A small world for amendment tests: an owning body, another body, people of every group."""

from types import SimpleNamespace

import pytest

PARAGRAPHS = [
    "# Declaration on participation",
    "The parties shall ensure access to information for all stakeholders, in every region.",
    "Every version of the text is public and kept forever.",
    "Amendments are weighed with equal weight per stakeholder group.",
]


@pytest.fixture
def world(make_user, make_body, make_document):
    coordinator = make_user("civil_society", name="Cora Coordinator")
    other_coordinator = make_user("government", name="Otto Other")
    proposer = make_user("civil_society", name="Pia Proposer")
    participant = make_user("government", name="Gus Government")
    admin = make_user("international_organization", admin=True, name="Ada Admin")
    owner = make_body(
        "Drafting team", kind="team", team_role="drafting", coordinators=[coordinator]
    )
    caucus = make_body(
        "Gender caucus",
        kind="thematic_caucus",
        team_role=None,
        members=[proposer],
        coordinators=[other_coordinator],
    )
    document = make_document(PARAGRAPHS, owner=owner, slug="declaration")
    keys = [p.key for p in document.current_version.paragraphs]
    return SimpleNamespace(
        coordinator=coordinator,
        other_coordinator=other_coordinator,
        proposer=proposer,
        participant=participant,
        admin=admin,
        owner=owner,
        caucus=caucus,
        document=document,
        keys=keys,
    )


@pytest.fixture
def propose(world):
    """propose(kind="modify", index=1, text=..., user=proposer, **kw) -> committed Amendment."""
    from app.amendments import services
    from app.extensions import db

    def factory(kind="modify", index=1, text=None, user=None, **kwargs):
        key = world.keys[index] if index is not None else None
        if text is None and kind == "modify":
            text = world.document.current_version.paragraphs[index].text.replace(
                "ensure", "guarantee"
            )
            if text == world.document.current_version.paragraphs[index].text:
                text += " Changed."
        args = {"paragraph": key} if kind != "insert" else {"after": key}
        amendment = services.propose_amendment(
            world.document,
            user or world.proposer,
            kind=kind,
            text=text or "",
            rationale=kwargs.pop("rationale", "Because it is better."),
            **args,
            **kwargs,
        )
        db.session.commit()
        return amendment

    return factory
