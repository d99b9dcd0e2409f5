"""Moderation's errors name their field in the reader's language, not in English code words."""

import pytest
from flask_babel import force_locale

from app.core.errors import ValidationError
from app.moderation.services import file_report


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "A reason for the report is required."),
        ("fr", "Un motif de signalement est requis."),
        ("ar", "سبب البلاغ مطلوب."),
    ],
)
def test_a_missing_reason_is_named_whole_in_each_language(app, make_user, lang, expected):
    user = make_user()
    with pytest.raises(ValidationError) as refused, force_locale(lang):
        file_report(user, f"user:{user.id}", "   ")
    with force_locale(lang):
        assert str(refused.value.message) == expected
    assert refused.value.code == "reason_required"
