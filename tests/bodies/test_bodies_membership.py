import pytest
from sqlalchemy import func, select

from app.bodies.models import Membership
from app.bodies.queries import is_coordinator, is_member, membership_of
from app.extensions import db


def _memberships():
    return db.session.scalar(select(func.count(Membership.id)))


def test_join_and_leave_an_open_caucus(client, login, seeded, make_user, body_of):
    user = make_user()
    login(client, user)
    response = client.post("/bodies/gender-caucus/join")
    assert response.status_code == 302
    assert is_member(user, body_of("gender-caucus").id)
    page = client.get("/bodies/gender-caucus").get_data(as_text=True)
    assert "You are a member of this body" in page and user.name in page
    assert client.post("/bodies/gender-caucus/join").status_code == 409
    assert client.post("/bodies/gender-caucus/leave").status_code == 302
    assert not is_member(user, body_of("gender-caucus").id)
    assert client.post("/bodies/gender-caucus/leave").status_code == 400


def test_joining_a_closed_team_directly_is_refused(client, login, seeded, make_user, body_of):
    login(client, make_user())
    response = client.post("/bodies/drafting-team/join")
    assert response.status_code == 400
    assert "closed: ask to join" in response.get_data(as_text=True)
    assert _memberships() == 0


def test_the_bureau_takes_neither_joins_nor_requests(client, login, seeded, make_user):
    login(client, make_user())
    assert client.post("/bodies/bureau/join").status_code == 400
    assert client.post("/bodies/bureau/request").status_code == 400
    assert _memberships() == 0


def test_request_and_approval(client, login, seeded, make_user, body_of):
    team = body_of("drafting-team")
    coordinator, applicant = make_user(), make_user()
    from app.bodies.services import add_member

    add_member(team, coordinator, coordinator=True)
    db.session.commit()
    login(client, applicant)
    assert client.post("/bodies/drafting-team/request").status_code == 302
    assert membership_of(applicant, team.id).status == "requested"
    assert not is_member(applicant, team.id)
    assert client.post("/bodies/drafting-team/request").status_code == 409
    # The applicant cannot approve their own request.
    assert (
        client.post(
            "/bodies/drafting-team/requests/approve", data={"user_id": applicant.id}
        ).status_code
        == 403
    )
    login(client, coordinator)
    page = client.get("/bodies/drafting-team").get_data(as_text=True)
    assert "Requests to join" in page and applicant.name in page
    assert (
        client.post(
            "/bodies/drafting-team/requests/approve", data={"user_id": applicant.id}
        ).status_code
        == 302
    )
    assert is_member(applicant, team.id)


def test_request_and_decline(client, login, seeded, make_user, body_of):
    team = body_of("translation-team")
    coordinator, applicant = make_user(), make_user()
    from app.bodies.services import add_member

    add_member(team, coordinator, coordinator=True)
    db.session.commit()
    login(client, applicant)
    client.post("/bodies/translation-team/request")
    login(client, coordinator)
    assert (
        client.post(
            "/bodies/translation-team/requests/decline", data={"user_id": applicant.id}
        ).status_code
        == 302
    )
    assert membership_of(applicant, team.id) is None
    assert (
        client.post(
            "/bodies/translation-team/requests/decline", data={"user_id": applicant.id}
        ).status_code
        == 404
    )


def test_withdrawing_a_request(client, login, seeded, make_user, body_of):
    applicant = make_user()
    login(client, applicant)
    client.post("/bodies/general-team/request")
    assert "waiting for a coordinator" in client.get("/bodies/general-team").get_data(as_text=True)
    client.post("/bodies/general-team/leave")
    assert membership_of(applicant, body_of("general-team").id) is None


def test_unknown_bodies_are_404(client, login, make_user):
    assert client.get("/bodies/no-such-body").status_code == 404
    assert client.get("/api/bodies/no-such-body").json["error"]["code"] == "not_found"
    login(client, make_user())
    assert client.post("/bodies/no-such-body/join").status_code == 404


def test_anonymous_visitors_read_everything_and_are_offered_no_write(
    client, seeded, make_user, body_of
):
    from app.bodies.services import add_member

    add_member(body_of("youth-caucus"), make_user(name="Visible Member"))
    db.session.commit()
    page = client.get("/bodies/youth-caucus").get_data(as_text=True)
    assert "Visible Member" in page
    assert 'method="post"' not in page.split('<main id="main">')[1]
    response = client.post("/bodies/youth-caucus/join")
    assert response.status_code in (302, 401, 403)
    assert _memberships() == 1


# The permission matrix for membership management: who may add, remove and promote.
ROLES = ["anonymous", "participant", "member", "coordinator", "other_coordinator", "admin"]
ALLOWED = {"coordinator", "admin"}


@pytest.fixture
def cast(client, login, seeded, make_user, body_of):
    from app.bodies.services import add_member

    people = {
        "participant": make_user(),
        "member": make_user(),
        "coordinator": make_user(),
        "other_coordinator": make_user(),
        "admin": make_user(admin=True),
    }
    caucus = body_of("environment-caucus")
    add_member(caucus, people["member"])
    add_member(caucus, people["coordinator"], coordinator=True)
    add_member(body_of("youth-caucus"), people["other_coordinator"], coordinator=True)
    db.session.commit()

    def act_as(role):
        if role != "anonymous":
            login(client, people[role])
        return client

    return people, act_as


@pytest.mark.parametrize("role", ROLES)
def test_matrix_add_member(cast, role, make_user, body_of):
    people, act_as = cast
    target = make_user(email="target@example.org")
    response = act_as(role).post(
        "/bodies/environment-caucus/members", data={"email": "target@example.org", "role": "member"}
    )
    allowed = role in ALLOWED
    assert is_member(target, body_of("environment-caucus").id) is allowed
    assert response.status_code == (
        302 if allowed else (403 if role != "anonymous" else response.status_code)
    )


@pytest.mark.parametrize("role", ROLES)
def test_matrix_remove_and_promote(cast, role, body_of):
    people, act_as = cast
    caucus_id = body_of("environment-caucus").id
    member = people["member"]
    act_as(role).post(
        "/bodies/environment-caucus/members/role",
        data={"user_id": member.id, "role": "coordinator"},
    )
    assert is_coordinator(member, caucus_id) is (role in ALLOWED)
    act_as(role).post("/bodies/environment-caucus/members/remove", data={"user_id": member.id})
    assert is_member(member, caucus_id) is (role not in ALLOWED)


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_bureau_membership_is_for_administrators_only(
    client, login, seeded, make_user, body_of, role
):
    from app.bodies.services import add_member

    bureau = body_of("bureau")
    actor = make_user(admin=role == "admin")
    if role == "coordinator":
        add_member(bureau, actor, coordinator=True)
    target = make_user(email="newbureau@example.org")
    db.session.commit()
    login(client, actor)
    response = client.post("/bodies/bureau/members", data={"email": "newbureau@example.org"})
    assert is_member(target, bureau.id) is (role == "admin")
    assert response.status_code == (302 if role == "admin" else 403)


def test_add_member_with_unknown_email_shows_error_and_keeps_input(
    client, login, seeded, make_user
):
    login(client, make_user(admin=True))
    response = client.post("/bodies/labour-caucus/members", data={"email": "ghost@example.org"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Nobody is registered with the e-mail address ghost@example.org" in page
    assert 'value="ghost@example.org"' in page
    assert _memberships() == 0


def test_demote_coordinator(client, login, seeded, make_user, body_of):
    from app.bodies.services import add_member

    caucus = body_of("labour-caucus")
    first, second = make_user(), make_user()
    add_member(caucus, first, coordinator=True)
    add_member(caucus, second, coordinator=True)
    db.session.commit()
    login(client, first)
    client.post("/bodies/labour-caucus/members/role", data={"user_id": second.id, "role": "member"})
    assert is_member(second, caucus.id) and not is_coordinator(second, caucus.id)


def test_api_bodies(client, seeded, make_user, body_of):
    from app.bodies.services import add_member

    coordinator = make_user(name="Amina Njoroge", country="KE")
    add_member(body_of("drafting-team"), coordinator, coordinator=True)
    add_member(body_of("drafting-team"), make_user(group="government", country="FR"))
    db.session.commit()
    listing = client.get("/api/bodies").json["bodies"]
    drafting = next(b for b in listing if b["slug"] == "drafting-team")
    assert drafting == {
        "slug": "drafting-team",
        "name": "Drafting team",
        "kind": "team",
        "coordinators": [{"name": "Amina Njoroge", "group": "civil_society", "side": "south"}],
        "member_count": 2,
    }
    detail = client.get("/api/bodies/drafting-team").json
    assert detail["team_role"] == "drafting" and detail["is_open"] is False
    assert {(m["group"], m["side"], m["role"]) for m in detail["members"]} == {
        ("civil_society", "south", "coordinator"),
        ("government", "north", "member"),
    }
    spec = client.get("/api/openapi.json").json
    assert (
        "/api/bodies/{slug}" in spec["paths"] and "/api/documents/{slug}/balance" in spec["paths"]
    )


def test_body_page_lists_owned_documents_and_archive_context(
    client, seeded, body_of, make_document
):
    make_document(title="Owned declaration", owner=body_of("drafting-team"))
    page = client.get("/bodies/drafting-team").get_data(as_text=True)
    assert "Owned declaration" in page
    assert 'id="discussions"' in page and 'id="balance"' in page
