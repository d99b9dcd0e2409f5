"""Input the API refuses before any domain sees it."""


def test_nul_characters_in_json_are_refused_with_400(client, make_user, make_token, make_document):
    admin = make_user(admin=True)
    token = make_token(admin)
    response = client.post(
        "/api/documents",
        json={"title": "Nul\u0000title", "markdown": "# T\n\nText", "language": "en"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert "NUL" in response.get_json()["error"]["message"]
