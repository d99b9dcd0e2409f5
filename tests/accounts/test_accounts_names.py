"""Display names: bidirectional controls and look-alikes of another person are refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.accounts import services
from app.accounts.names import BIDI_CONTROLS, name_skeleton
from app.core.errors import ValidationError
from app.extensions import db

PASSWORD = "correct horse battery staple"


def _register(client, name, email):
    return client.post(
        "/register",
        data={
            "name": name,
            "email": email,
            "password": PASSWORD,
            "confirm": PASSWORD,
            "group": "civil_society",
            "country": "KE",
        },
    )


@pytest.mark.parametrize("control", sorted(BIDI_CONTROLS))
def test_registration_refuses_bidi_controls(client, control):
    response = _register(client, f"Mallory{control}exe.txt", "mallory@example.org")
    assert response.status_code == 400
    assert b"bidirectional control characters" in response.data
    assert services.list_users() == []


@pytest.mark.parametrize(
    "imitation",
    [
        "Аlice Martin",  # Cyrillic А
        "AIice Martin",  # capital I for small l
        "alice  MARTIN",
        "Alice Mártin",
        "Ａｌｉｃｅ Martin",  # fullwidth
        "Alice.Martin",
        "Alice\u200bMartin",  # zero-width space
    ],
)
def test_registration_refuses_imitations_of_another_person(client, make_user, imitation):
    make_user(name="Alice Martin")
    response = _register(client, imitation, "imitator@example.org")
    assert response.status_code == 400
    assert len(services.list_users()) == 1


def test_distinct_names_are_welcome(client, make_user):
    make_user(name="Alice Martin")
    assert _register(client, "Alicia Martin", "alicia@example.org").status_code == 302


def test_profile_edit_refuses_bidi_and_imitation_but_keeps_ones_own_name(
    client, login, make_user, make_token
):
    make_user(name="Lucas Pereira")
    person = make_user(name="Amina Njoroge")
    login(client, person)
    form = {"organization": "", "country": "KE", "group": "civil_society"}
    assert (
        client.post("/profile/details", data={**form, "name": "Lucas Pereіra"}).status_code == 400
    )
    assert (
        client.post("/profile/details", data={**form, "name": "Amina Njoroge"}).status_code == 302
    )
    headers = {"Authorization": f"Bearer {make_token(person)}"}
    response = client.patch("/api/me", json={"name": "Amina \u202eegoroN"}, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "name_bidi"
    response = client.patch("/api/me", json={"name": "LUCAS PEREIRA"}, headers=headers)
    assert response.get_json()["error"]["code"] == "name_imitates"
    db.session.refresh(person)
    assert person.name == "Amina Njoroge"


def test_names_without_letters_are_refused(make_user):
    with pytest.raises(ValidationError):
        services.check_display_name("...")


@given(st.text(min_size=1, max_size=30))
def test_skeleton_ignores_compatibility_forms(name):
    import unicodedata

    assert name_skeleton(name) == name_skeleton(unicodedata.normalize("NFKC", name))


@given(
    st.text(alphabet=st.characters(min_codepoint=65, max_codepoint=122), min_size=1, max_size=20),
    st.sampled_from([" ", ".", "-", "\u200b", "  "]),
)
def test_skeleton_ignores_case_spacing_and_punctuation(name, separator):
    spaced = separator.join(name)
    assert name_skeleton(spaced.swapcase()) == name_skeleton(name)
