"""Status changes of bodies and selections under races: one outcome each, never a 500."""

import threading

from sqlalchemy import func, select

from app.bodies.models import Membership, Nomination, Selection
from app.bodies.services import add_member, request_membership
from app.core.timeutil import utcnow
from app.extensions import db


def _at_once(app, user, requests: list[tuple[str, dict]]) -> list[int]:
    """POST every (url, form) at the same instant, each from its own client logged in as user."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = []
    user_id = user.get_id()  # read here: the threads have no application context

    def post(url, data):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user_id
            session["_fresh"] = True
        barrier.wait()
        statuses.append(client.post(url, data=data).status_code)

    threads = [threading.Thread(target=post, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.session.expire_all()
    return statuses


def _memberships(body, user) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.body_id == body.id, Membership.user_id == user.id)
    )


def test_parallel_joins_of_one_body_make_one_membership(app, make_user, make_body):
    caucus = make_body("Youth caucus", kind="caucus", team_role=None, is_open=True)
    user = make_user("civil_society")
    statuses = _at_once(app, user, [(f"/bodies/{caucus.slug}/join", {})] * 8)
    assert 500 not in statuses and len(statuses) == 8
    assert _memberships(caucus, user) == 1


def test_parallel_approvals_of_one_request(app, make_user, make_body):
    board = make_body("Bureau", kind="caucus", team_role=None, is_open=False)
    coordinator, applicant = make_user("government"), make_user("private_sector")
    add_member(board, coordinator, coordinator=True)
    request_membership(applicant, board)
    db.session.commit()
    url = f"/bodies/{board.slug}/requests/approve"
    statuses = _at_once(app, coordinator, [(url, {"user_id": str(applicant.id)})] * 6)
    assert 500 not in statuses
    assert _memberships(board, applicant) == 1
    membership = db.session.scalar(
        select(Membership).where(Membership.body_id == board.id, Membership.user_id == applicant.id)
    )
    assert membership.status == "active"


def test_parallel_closes_count_once(app, make_user, make_body, make_selection):
    caucus = make_body("Environment caucus", kind="caucus", team_role=None, is_open=True)
    coordinator, nominee = make_user("civil_society"), make_user("government", country="KE")
    add_member(caucus, coordinator, coordinator=True)
    add_member(caucus, nominee)
    db.session.commit()
    selection = make_selection(caucus, phase="counting", seats=1, role="member")
    db.session.add(
        Nomination(
            selection_id=selection.id,
            nominee_id=nominee.id,
            nominated_by_id=nominee.id,
            accepted=True,
            accepted_at=utcnow(),
        )
    )
    db.session.commit()
    statuses = _at_once(app, coordinator, [(f"/selections/{selection.id}/close", {})] * 6)
    assert 500 not in statuses
    assert db.session.get(Selection, selection.id).status == "closed"
