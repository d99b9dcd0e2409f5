"""Stakeholder groups people can trust: a change is a request that a focal point of the new
group (or an administrator) confirms; focal points verify participants of their group."""

import threading

import pytest
from sqlalchemy import func, select

from app.accounts import groups
from app.accounts.models import GroupChangeRequest
from app.audit.models import AuditEntry
from app.bodies.defaults import FOCAL_POINT_SLUGS
from app.bodies.models import Body, Membership
from app.bodies.services import seed_bodies
from app.core.errors import Conflict, Forbidden
from app.extensions import db


@pytest.fixture
def focal(app, make_user):
    """focal(group) -> a new focal point of `group` (the focal-point bodies are seeded)."""
    seed_bodies()
    db.session.commit()

    def factory(group, **kwargs):
        person = make_user(group, **kwargs)
        body = db.session.scalar(select(Body).where(Body.slug == FOCAL_POINT_SLUGS[group]))
        db.session.add(Membership(body_id=body.id, user_id=person.id))
        db.session.commit()
        return person

    return factory


def test_seed_gives_each_group_a_body_of_focal_points(app):
    seed_bodies()
    db.session.commit()
    bodies = db.session.scalars(select(Body).where(Body.kind == "focal_points")).all()
    assert {b.slug for b in bodies} == set(FOCAL_POINT_SLUGS.values())
    assert not any(b.is_open for b in bodies)


def test_profile_group_change_is_only_a_request(client, login, make_user):
    person = make_user("civil_society")
    login(client, person)
    response = client.post(
        "/profile/details",
        data={"name": person.name, "organization": "", "country": "KE", "group": "government"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert b"waits for an administrator or a focal point" in response.data
    db.session.refresh(person)
    assert person.group == "civil_society"
    assert groups.pending_request(person).to_group == "government"
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Waiting for confirmation" in page and "Government" in page


def test_patch_me_answers_202_with_pending_group(client, make_user, make_token):
    person = make_user("civil_society")
    headers = {"Authorization": f"Bearer {make_token(person)}"}
    response = client.patch("/api/me", json={"group": "private_sector"}, headers=headers)
    assert response.status_code == 202
    body = response.get_json()
    assert body["group"] == "civil_society" and body["pending_group"] == "private_sector"
    # Other details apply at once; the same group is no request at all.
    response = client.patch(
        "/api/me", json={"organization": "Open Net", "group": "civil_society"}, headers=headers
    )
    assert response.status_code == 200
    assert response.get_json()["organization"] == "Open Net"
    assert response.get_json()["pending_group"] is None  # asking for one's own group cancels
    assert client.patch("/api/me", json={"group": "nobody"}, headers=headers).status_code == 400
    assert client.patch("/api/me", json={"group": 3}, headers=headers).status_code == 400
    assert client.patch("/api/me", json={"email": "x@y.z"}, headers=headers).status_code == 400
    assert client.patch("/api/me", json={"group": "government"}).status_code == 401


def test_focal_point_of_the_new_group_confirms(client, login, make_user, focal):
    person = make_user("civil_society")
    request = groups.request_group_change(person, "government", note="I joined a ministry")
    db.session.commit()
    outsider = focal("private_sector")
    login(client, outsider)
    assert client.post(f"/groups/requests/{request.id}/confirm").status_code == 403
    participant = make_user("government")
    login(client, participant)
    assert client.get("/groups/requests").status_code == 403
    assert client.post(f"/groups/requests/{request.id}/confirm").status_code == 403

    point = focal("government")
    login(client, point)
    queue = client.get("/groups/requests").get_data(as_text=True)
    assert person.name in queue and "I joined a ministry" in queue
    assert client.post(f"/groups/requests/{request.id}/confirm").status_code == 302
    db.session.expire_all()
    assert person.group == "government"
    assert request.status == "confirmed" and request.decided_by_id == point.id
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Registered" in page and "Civil society" in page
    assert "change to <span" in page and "confirmed" in page
    # A second decision on the same request changes nothing.
    with pytest.raises(Conflict):
        groups.refuse_group_change(request, point)


def test_administrator_refuses_and_the_group_stays(make_user):
    person = make_user("civil_society")
    admin = make_user("government", admin=True)
    request = groups.request_group_change(person, "private_sector")
    groups.refuse_group_change(request, admin)
    db.session.commit()
    assert person.group == "civil_society"
    assert [r.status for r in groups.group_history(person)] == ["refused"]
    assert groups.pending_request(person) is None


def test_confirming_a_change_ends_the_verification(make_user, focal):
    person = make_user("civil_society")
    groups.set_verified(person, focal("civil_society"), True)
    request = groups.request_group_change(person, "government")
    groups.confirm_group_change(request, focal("government"))
    db.session.commit()
    assert person.group == "government" and person.verified_at is None


def test_parallel_confirmations_give_one_outcome(app, make_user, focal, login):
    person = make_user("civil_society")
    request = groups.request_group_change(person, "government")
    db.session.commit()
    request_id = request.id
    deciders = [focal("government") for _ in range(6)]
    barrier = threading.Barrier(len(deciders))
    statuses: list[int] = []

    clients = []
    for user in deciders:
        clients.append(login(app.test_client(), user))

    def decide(n, client):
        action = "confirm" if n % 2 == 0 else "refuse"
        barrier.wait()
        statuses.append(client.post(f"/groups/requests/{request_id}/{action}").status_code)

    threads = [threading.Thread(target=decide, args=(n, c)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302] * len(deciders)
    db.session.expire_all()
    decided = db.session.get(GroupChangeRequest, request.id)
    assert decided.status in ("confirmed", "refused")
    assert person.group == ("government" if decided.status == "confirmed" else "civil_society")
    entries = db.session.scalar(
        select(func.count(AuditEntry.id)).where(
            AuditEntry.action.in_(("group.confirmed", "group.refused"))
        )
    )
    assert entries == 1


def test_focal_points_verify_participants_of_their_group_only(client, login, make_user, focal):
    person = make_user("government")
    stranger = focal("civil_society")
    login(client, stranger)
    assert (
        client.post(f"/people/{person.id}/verification", data={"verified": "1"}).status_code == 403
    )
    point = focal("government")
    login(client, point)
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Mark as verified" in page
    assert (
        client.post(f"/people/{person.id}/verification", data={"verified": "1"}).status_code == 302
    )
    db.session.expire_all()
    assert person.verified_at is not None and person.verified_by_id == point.id
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "badge-verified" in page
    with pytest.raises(Conflict):
        groups.set_verified(person, point, True)
    with pytest.raises(Forbidden):
        groups.set_verified(person, make_user("government"), False)
    groups.set_verified(person, point, False)
    db.session.commit()
    assert person.verified_at is None


def test_administrators_and_focal_points_wear_a_badge(client, make_user, focal, post_topic_in):
    admin = make_user("government", admin=True, name="Ada Admin")
    point = focal("civil_society", name="Fatou Focal")
    plain = make_user("civil_society", name="Paul Plain")
    topic = post_topic_in(admin, point, plain)
    page = client.get(f"/discussions/{topic.id}").get_data(as_text=True)
    assert page.count("badge-role") == 2
    assert "Administrator" in page and "Focal point · Civil society" in page
    person = client.get(f"/people/{point.id}").get_data(as_text=True)
    assert "Focal point · Civil society" in person
    assert "badge-role" not in client.get(f"/people/{plain.id}").get_data(as_text=True)


@pytest.fixture
def post_topic_in(make_body):
    from app.discussion import services

    def factory(*authors):
        body = make_body("Open forum", kind="working_group", team_role=None, members=authors)
        topic = services.start_topic(authors[0], title="Hello", text="First", body=body)
        for author in authors[1:]:
            services.reply(author, topic, text=f"From {author.name}")
        db.session.commit()
        return topic

    return factory
