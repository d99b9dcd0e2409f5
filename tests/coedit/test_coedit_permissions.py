"""Who co-edits: the drafting team, the owning body's coordinators and administrators.

The rule lives twice, in app.documents.permissions.can_edit_live and in the one-query fast path
of a sync (app.coedit.queries.sync_access): both are checked against the same oracle.
"""

import itertools

import pytest

from app.bodies.models import COORDINATOR, MEMBER, REQUESTED, Membership
from app.bodies.services import join_body
from app.coedit import queries
from app.coedit.services import get_or_create_live_text
from app.documents.permissions import can_edit_live
from app.extensions import db


def sql_may_edit(user, document) -> bool:
    live = get_or_create_live_text(document, document.language)
    db.session.commit()
    row = queries.sync_access(document.id, live.id, user_id=user.id)
    db.session.rollback()
    return bool(row.is_admin or row.editor)


def both_paths(user, document) -> tuple[bool, bool]:
    return can_edit_live(user, document), sql_may_edit(user, document)


@pytest.fixture
def caucus_world(make_user, make_body, make_document):
    drafter = make_user(name="Drafter")
    joiner = make_user(name="Caucus Joiner")
    caucus_coordinator = make_user(name="Caucus Coordinator")
    admin = make_user(name="Admin", admin=True)
    make_body("Drafting team", members=[drafter])
    caucus = make_body(
        "Open caucus",
        kind="thematic_caucus",
        team_role=None,
        is_open=True,
        coordinators=[caucus_coordinator],
    )
    document = make_document(owner=caucus, slug="caucus-paper", title="Caucus paper")
    return {
        "drafter": drafter,
        "joiner": joiner,
        "caucus_coordinator": caucus_coordinator,
        "admin": admin,
        "caucus": caucus,
        "document": document,
    }


def test_joining_an_open_caucus_does_not_grant_editing(caucus_world):
    joiner, document = caucus_world["joiner"], caucus_world["document"]
    join_body(joiner, caucus_world["caucus"])
    db.session.commit()
    assert both_paths(joiner, document) == (False, False)


@pytest.mark.parametrize("who", ["drafter", "caucus_coordinator", "admin"])
def test_drafting_team_owner_coordinator_and_admin_edit_a_caucus_document(caucus_world, who):
    assert both_paths(caucus_world[who], caucus_world["document"]) == (True, True)


def test_caucus_joiner_is_refused_over_sockets_and_drafter_edits(caucus_world, sockets):
    join_body(caucus_world["joiner"], caucus_world["caucus"])
    db.session.commit()
    joiner = sockets(caucus_world["joiner"])
    ack = joiner.call("join", {"doc": "caucus-paper", "lang": "en", "mode": "edit"})
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    for who in ("drafter", "caucus_coordinator", "admin"):
        sock = sockets(caucus_world[who])
        core = sock.core(doc="caucus-paper")
        core.edit(core.text + f" [{who}]")
        ack = sock.sync(core)  # a joined channel's sync takes the one-query path
        assert ack["ok"], (who, ack)
    db.session.expire_all()
    text, _ = queries.live_state(caucus_world["document"], "en")
    assert all(f"[{who}]" in text for who in ("drafter", "caucus_coordinator", "admin"))
    # the joiner, joined as a follower, cannot slip edits in either
    follower = joiner.core(doc="caucus-paper", mode="follow")
    follower.mode = "edit"
    follower.edit(follower.text + " [joiner]")
    assert joiner.call("sync", follower.sync_payload())["error"]["code"] == "forbidden"


def test_a_drafting_team_member_loses_editing_when_removed(caucus_world, sockets):
    sock = sockets(caucus_world["drafter"])
    core = sock.core(doc="caucus-paper")
    core.edit(core.text + " kept")
    assert sock.sync(core)["ok"]
    db.session.execute(
        Membership.__table__.update()
        .where(Membership.user_id == caucus_world["drafter"].id)
        .values(status=REQUESTED)
    )
    db.session.commit()
    core.edit(core.text + " refused")
    assert sock.call("sync", core.sync_payload())["error"]["code"] == "forbidden"


ROLES = (None, MEMBER, COORDINATOR, REQUESTED)


def oracle(admin, in_owner, in_other_drafting, owner_kind) -> bool:
    """The rule in words, independent of both implementations."""
    if admin or in_owner == COORDINATOR:
        return True
    if owner_kind == "drafting":
        return in_owner in (MEMBER, COORDINATOR)
    return in_other_drafting in (MEMBER, COORDINATOR)


def test_python_and_sql_paths_agree_with_the_rule(make_user, make_body, make_document):
    """Every combination of roles against owners of every kind (and no owner)."""
    owners = {
        "drafting": make_body("Owning drafting team", slug="owning-drafting"),
        "caucus": make_body("A caucus", kind="regional_caucus", team_role=None, is_open=True),
        "translation": make_body("Translators", team_role="translation"),
        "roleless": make_body("Unnamed team", team_role=None),
        "none": None,
    }
    other_drafting = make_body("Another drafting team", slug="another-drafting")
    documents = {
        kind: make_document(owner=owner, slug=f"doc-{kind}", title=f"Doc {kind}")
        for kind, owner in owners.items()
    }
    cases = []
    for admin, in_owner, in_other in itertools.product((False, True), ROLES, ROLES[:2] + ROLES[3:]):
        user = make_user(admin=admin, name=f"U {admin} {in_owner} {in_other}")
        for kind, owner in owners.items():
            cases.append((user, kind, admin, in_owner, in_other))
        for body, role in [(b, in_owner) for b in owners.values() if b is not None] + [
            (other_drafting, in_other)
        ]:
            if role is not None:
                status = REQUESTED if role == REQUESTED else "active"
                db.session.add(
                    Membership(
                        body_id=body.id,
                        user_id=user.id,
                        role=MEMBER if role == REQUESTED else role,
                        status=status,
                    )
                )
    db.session.commit()
    wrong = []
    for user, kind, admin, in_owner, in_other in cases:
        # the user holds `in_owner` in every owning body, the owning drafting team included
        active = (MEMBER, COORDINATOR)
        in_any_drafting = MEMBER if in_other in active or in_owner in active else None
        expected = oracle(admin, in_owner, in_any_drafting, kind)
        got = both_paths(user, documents[kind])
        if got != (expected, expected):
            wrong.append((user.name, kind, expected, got))
    assert not wrong, wrong
    assert len(cases) == 2 * 4 * 3 * 5
