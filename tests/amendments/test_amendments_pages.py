"""Amendment pages: propose with preview, tracked changes, lists, compare, compilation, panels."""

import re

import pytest
from flask import g, render_template
from sqlalchemy import func, select

from app.amendments import services
from app.amendments.models import Amendment, AmendmentComment
from app.documents import hooks
from app.extensions import db


@pytest.fixture
def as_user(app, login):
    def client_for(user):
        g.pop("_login_user", None)  # the test's app context (and g) is shared with requests
        client = app.test_client()
        return login(client, user) if user else client

    return client_for


def test_propose_page_prefills_previews_and_keeps_input_on_error(world, as_user):
    client = as_user(world.proposer)
    url = f"/documents/{world.document.slug}/amendments/new?kind=modify&paragraph={world.keys[1]}"
    page = client.get(url).get_data(as_text=True)
    assert "shall ensure access" in page and "data-amend-base=" in page
    assert "On behalf of Gender caucus" in page
    form = {
        "kind": "modify",
        "paragraph": world.keys[1],
        "version": "1",
        "text": "The parties shall guarantee access to information for all stakeholders, in every region.",
        "rationale": "",
    }
    preview = client.post(url, data={**form, "preview": "1"}).get_data(as_text=True)
    assert '<del class="diff-del">ensure</del>' in preview
    assert '<ins class="diff-ins">guarantee</ins>' in preview
    error = client.post(url, data={**form, "submit": "1"})
    assert error.status_code == 400
    assert "Give a rationale" in error.get_data(as_text=True)
    assert "shall guarantee access" in error.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Amendment)) == 0
    done = client.post(
        url, data={**form, "rationale": "Stronger.", "on_behalf_of": "gender-caucus", "submit": "1"}
    )
    assert done.status_code == 302
    amendment = db.session.scalar(select(Amendment))
    assert amendment.on_behalf_body_id == world.caucus.id
    shown = client.get(done.headers["Location"]).get_data(as_text=True)
    assert '<ins class="diff-ins">guarantee</ins>' in shown
    # On behalf of a body it reads as the body's position, the body linked to its page.
    assert (
        '<a class="amend-body" href="/bodies/gender-caucus">Gender caucus</a> '
        "(position; proposed by Pia Proposer, Civil society)"
    ) in shown
    assert "Civil society (Gender caucus)" not in shown
    assert (
        'class="hchart"' in shown
        and "Equal weight" in shown
        and '<table class="tally-table">' in shown
    )


def test_user_text_is_escaped_in_tracked_changes_and_comments(world, propose, as_user):
    amendment = propose(text="Access <script>alert(1)</script> for all.")
    client = as_user(world.participant)
    client.post(
        f"/amendments/{amendment.id}/comments",
        data={"text": "**Agreed** <img src=x onerror=alert(1)> [x](javascript:alert(1))"},
    )
    assert db.session.scalar(select(func.count()).select_from(AmendmentComment)) == 1
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "<strong>Agreed</strong>" in page
    assert "<img" not in page and 'href="javascript:' not in page


def test_positions_from_the_page(world, propose, as_user):
    amendment = propose()
    client = as_user(world.participant)
    client.post(f"/amendments/{amendment.id}/position", data={"stance": "support"})
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert 'aria-pressed="true"' in page and "Your position: <strong>Support</strong>" in page
    client.post(f"/amendments/{amendment.id}/position", data={"stance": "withdraw"})
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "Your position:" not in page


def test_list_interleaves_groups_and_filters(world, propose, make_user, as_user):
    civil = [propose(index=1, text=f"Civil society text {n}.") for n in range(4)]
    government = propose(index=2, text="Government text.", user=world.participant)
    private = propose(index=3, text="Private text.", user=make_user("private_sector"))
    page = as_user(None).get(f"/documents/{world.document.slug}/amendments").get_data(as_text=True)
    order = [int(n) for n in re.findall(r'id="a-(\d+)"', page)]
    assert order[:3] == [civil[0].id, government.id, private.id]
    assert order[3:] == [a.id for a in civil[1:]]
    chronological = (
        as_user(None)
        .get(f"/documents/{world.document.slug}/amendments?order=chronological")
        .get_data(as_text=True)
    )
    assert [int(n) for n in re.findall(r'id="a-(\d+)"', chronological)][:4] == [a.id for a in civil]
    only_gov = (
        as_user(None)
        .get(f"/documents/{world.document.slug}/amendments?group=government")
        .get_data(as_text=True)
    )
    assert re.findall(r'id="a-(\d+)"', only_gov) == [str(government.id)]
    services.reject_amendment(private, world.admin, "As agreed in the drafting group.")
    db.session.commit()
    rejected = (
        as_user(None)
        .get(f"/documents/{world.document.slug}/amendments?status=rejected")
        .get_data(as_text=True)
    )
    assert re.findall(r'id="a-(\d+)"', rejected) == [str(private.id)]
    by_paragraph = (
        as_user(None)
        .get(f"/documents/{world.document.slug}/amendments?paragraph={world.keys[2]}")
        .get_data(as_text=True)
    )
    assert re.findall(r'id="a-(\d+)"', by_paragraph) == [str(government.id)]


def test_compare_page_shows_competing_amendments_with_tallies(world, propose, as_user):
    first = propose()
    second = propose(
        text="The parties shall promote access to information.", user=world.participant
    )
    services.set_position(second, world.proposer, "support")
    db.session.commit()
    page = (
        as_user(None)
        .get(f"/documents/{world.document.slug}/paragraphs/{world.keys[1]}/amendments")
        .get_data(as_text=True)
    )
    assert f"#{first.id}" in page and f"#{second.id}" in page
    # Each amendment: its tally, and the same among verified participants beside it.
    assert page.count('class="tally-verified"') == 2
    assert page.count('class="tally-summary"') == 2
    assert "Government (Gus Government)" in page


def test_compilation_text_attributes_every_pending_amendment(world, propose, as_user):
    propose(on_behalf_of="gender-caucus")
    propose(kind="insert", index=None, text="A preamble.", user=world.participant)
    propose(kind="delete", index=3, user=world.participant)
    page = as_user(None).get(f"/documents/{world.document.slug}/compilation").get_data(as_text=True)
    assert (
        '<a class="amend-body" href="/bodies/gender-caucus">Gender caucus</a> '
        "(position; proposed by Pia Proposer, Civil society)"
    ) in page
    # Personal proposals keep the compilation style "Group (Person)".
    assert page.count("Government (Gus Government)") == 2
    assert page.index("A preamble.") < page.index("Declaration on participation</h1>")
    from pathlib import Path

    assert "@media print" in Path("app/static/css/amendments.css").read_text()
    assert 'href="/static/css/amendments.css' in page


def test_period_and_paragraph_status(world, as_user, app):
    client = as_user(world.coordinator)
    client.post(f"/documents/{world.document.slug}/amendment-period", data={"period": "close"})
    assert world.document.status == "closed"
    client.post(f"/documents/{world.document.slug}/amendment-period", data={"period": "open"})
    assert world.document.status == "open"
    key = world.keys[2]
    for status in ("bracketed", "agreed_ad_ref"):
        client.post(
            f"/documents/{world.document.slug}/paragraphs/{key}/status",
            data={"status": status, "note": "Capitals to confirm"},
        )
    page = client.get(f"/documents/{world.document.slug}/paragraphs/{key}/amendments").get_data(
        as_text=True
    )
    assert page.count("Capitals to confirm") == 2  # history kept
    assert "agreed ad ref" in page
    # The document page context: statuses, a filter that hides the other paragraphs.
    with app.test_request_context(f"/documents/{world.document.slug}?status=agreed_ad_ref"):
        context = hooks.page_context(world.document, world.document.current_version)
        assert context["paragraph_statuses"][key].status == "agreed_ad_ref"
        assert context["hidden_paragraph_keys"] == set(world.keys) - {key}
        panel = render_template(
            "amendments/_document_panel.html", document=world.document, **context
        )
        assert "hidden" in panel and "Show all" in panel
    # The document page itself leaves the hidden paragraphs out and keeps the matching one.
    page = client.get(f"/documents/{world.document.slug}?status=agreed_ad_ref").get_data(
        as_text=True
    )
    assert f'id="p-{key}"' in page
    assert f'id="p-{world.keys[0]}"' not in page


def test_paragraph_panel_and_context_provider(world, propose, app, make_user):
    from sqlalchemy import event

    modify = propose(on_behalf_of="gender-caucus")
    propose(index=1, text="Different words.", user=world.participant)
    merged = propose(index=2, text="Every version is public.", user=world.participant)
    services.accept_amendment(merged, world.admin, "As agreed in the drafting group.")
    db.session.commit()
    version = world.document.current_version
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    with app.test_request_context(f"/documents/{world.document.slug}"):
        from flask_login import login_user

        login_user(world.proposer)
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            context = hooks.page_context(world.document, version)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert len(statements) <= 8  # bounded, not one per paragraph
        assert [a.id for a in context["amendments_pending"][world.keys[1]]][0] == modify.id
        assert context["amendment_group_counts"][world.keys[1]] == {
            "civil_society": 1,
            "government": 1,
        }
        assert context["paragraph_blame"][world.keys[2]].id == merged.id
        paragraph = version.paragraphs[1]
        html = render_template(
            "amendments/_paragraph_panel.html",
            document=world.document,
            version=version,
            paragraph=paragraph,
            **context,
        )
        assert "2 pending" in html and "Civil society 1" in html and "Government 1" in html
        assert '<ins class="diff-ins">guarantee</ins>' in html
        assert f"kind=modify&amp;paragraph={world.keys[1]}" in html
        blamed = render_template(
            "amendments/_paragraph_panel.html",
            document=world.document,
            version=version,
            paragraph=version.paragraphs[2],
            **context,
        )
        assert f'changed by <a href="/amendments/{merged.id}">amendment #{merged.id}</a>' in blamed
    tabs = {tab.endpoint: tab.order for tab in hooks.TABS}
    assert tabs["amendments.index"] == 40 and tabs["amendments.compilation"] == 45


def test_anonymous_sees_pages_but_no_writes(world, propose, as_user):
    amendment = propose()
    client = as_user(None)
    page = client.get(f"/amendments/{amendment.id}").get_data(as_text=True)
    assert "Log in</a> to take a position" in page and 'name="stance"' not in page
    listing = client.get(f"/documents/{world.document.slug}/amendments").get_data(as_text=True)
    assert "Close the amendment period" not in listing
    assert client.get("/amendments/424242").status_code == 404
    response = client.get(f"/documents/{world.document.slug}/amendments/new?paragraph=x")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
