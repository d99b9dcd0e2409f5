"""Twenty parallel position requests by one person leave exactly one position."""

import json
import threading
import urllib.request

from sqlalchemy import func, select

from app.amendments.models import Position
from app.extensions import db


def test_parallel_positions_leave_one_row(world, propose, live_server, make_token):
    amendment = propose()
    token = make_token(world.participant)
    url = f"{live_server}/api/amendments/{amendment.id}/position"
    stances = ["support", "oppose", "abstain"]
    barrier = threading.Barrier(20)
    results: list = []

    def put(n):
        request = urllib.request.Request(
            url,
            method="PUT",
            data=json.dumps({"stance": stances[n % 3]}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                results.append(response.status)
        except urllib.error.HTTPError as error:
            results.append(error.code)

    threads = [threading.Thread(target=put, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert results == [200] * 20
    db.session.expire_all()
    rows = db.session.scalars(select(Position).where(Position.amendment_id == amendment.id)).all()
    assert len(rows) == 1 and rows[0].user_id == world.participant.id
    assert rows[0].stance in stances
    assert db.session.scalar(select(func.count()).select_from(Position)) == 1


def test_database_refuses_a_second_position_row(world, propose):
    import pytest
    from sqlalchemy.exc import IntegrityError

    amendment = propose()
    for stance in ("support", "oppose"):
        db.session.add(
            Position(amendment_id=amendment.id, user_id=world.participant.id, stance=stance)
        )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
