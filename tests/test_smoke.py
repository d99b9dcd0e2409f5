def test_home_lists_documents(client, make_document):
    make_document(title="Equal footing")
    response = client.get("/")
    assert response.status_code == 200
    assert b"Equal footing" in response.data


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/nope")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_documents_path_lists_documents_too(client, make_document):
    make_document(title="Listed at /documents")
    response = client.get("/documents")
    assert response.status_code == 200
    assert b"Listed at /documents" in response.data


def test_home_is_the_canonical_address_of_the_document_list(app):
    from flask import url_for

    with app.test_request_context():
        assert url_for("main.index") == "/"
