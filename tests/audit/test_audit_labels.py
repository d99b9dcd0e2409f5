"""The audit log shows people a translated name for each action; the code stays for filters."""

from flask_babel import force_locale

from app.audit.labels import action_label
from app.audit.services import record
from app.extensions import db


def test_actions_have_translated_names_and_unknown_ones_show_their_code(app):
    with force_locale("fr"):
        assert action_label("amendment.rejected") == "Amendement rejeté"
        assert action_label("report.filed") == "Signalement déposé"
        assert action_label("something.new") == "something.new"


def test_admin_log_shows_the_label_beside_the_code(app, client, login, make_user):
    admin = make_user(admin=True)
    record("selection.cancelled", "selection", 7, actor=admin)
    db.session.commit()
    login(client, admin)
    page = client.get("/admin/audit", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Selección cancelada" in page and "selection.cancelled" in page
