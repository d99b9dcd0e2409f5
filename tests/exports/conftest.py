import pytest
from exports_samples import RICH_PARAGRAPHS


@pytest.fixture
def rich_document(make_document, make_body):
    owner = make_body("Plenary", kind="plenary", team_role=None)
    return make_document(paragraphs=RICH_PARAGRAPHS, owner=owner)
