"""Two Chromium pages co-edit one paragraph of the live draft, then publish it."""

import time

import pytest

from app.extensions import db

PASSWORD = "browser test password 2026"
PARAGRAPH = "All stakeholder groups take part in drafting as equals."


def _logged_in_page(browser, app, base_url, user):
    context = browser.new_context(bypass_csp=True)  # wait_for_function needs eval
    page = context.new_page()
    page.set_default_timeout(10_000)
    if "accounts.login" in app.view_functions:
        page.goto(f"{base_url}/login")
        page.fill("input[name=email]", user.email)
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
    else:
        serializer = app.session_interface.get_signing_serializer(app)
        cookie = serializer.dumps({"_user_id": user.get_id(), "_fresh": True})
        context.add_cookies(
            [
                {
                    "name": app.config.get("SESSION_COOKIE_NAME", "session"),
                    "value": cookie,
                    "url": base_url,
                }
            ]
        )
    return context, page


def _text(page) -> str:
    return page.evaluate("window.coedit.view.state.doc.toString()")


def _put_cursor_in_paragraph(page, where: str):
    """Click into the paragraph, then move the caret to its start or end (lines may wrap)."""
    page.locator(".cm-line", has_text=PARAGRAPH[:30]).click()
    page.evaluate(
        """([paragraph, atEnd]) => {
            const view = window.coedit.view;
            const start = view.state.doc.toString().indexOf(paragraph);
            const pos = atEnd ? start + paragraph.length : start;
            view.dispatch({ selection: { anchor: pos } });
            view.focus();
        }""",
        [PARAGRAPH, where == "end"],
    )


@pytest.mark.browser
def test_two_editors_type_into_one_paragraph_and_publish(
    app,
    live_server,
    browser,
    make_user,
    make_body,
    make_document,
):
    if "coedit.live" not in app.view_functions:
        pytest.fail("app.coedit.routes is not imported by app/coedit/__init__.py")
    amina = make_user(
        group="civil_society", name="Amina Writer", email="amina-b@example.org", password=PASSWORD
    )
    lucas = make_user(
        group="government", name="Lucas Writer", email="lucas-b@example.org", password=PASSWORD
    )
    body = make_body("Drafting team", members=[amina, lucas])
    document = make_document(owner=body)
    url = f"{live_server}/documents/{document.slug}/live"

    contexts = []
    try:
        context_a, page_a = _logged_in_page(browser, app, live_server, amina)
        context_b, page_b = _logged_in_page(browser, app, live_server, lucas)
        observer_context = browser.new_context()
        contexts += [context_a, context_b, observer_context]
        observer = observer_context.new_page()
        observer.set_default_timeout(10_000)
        for page in (page_a, page_b):
            page.goto(url)
            page.wait_for_selector("[data-status][data-state=connected]")
            page.wait_for_selector(".cm-content:not([aria-readonly])")
        observer.goto(url)
        observer.wait_for_selector("[data-status][data-state=connected]")
        # Everyone is in push mode (the protocol's "Push mode"), the default of the browser client.
        for page in (page_a, page_b, observer):
            assert page.evaluate("window.coedit.client.pushing") is True
        # An observer saves nothing and is not told that its changes are saved.
        assert "saved" not in observer.locator("[data-status-text]").inner_text()

        _put_cursor_in_paragraph(page_a, "end")
        _put_cursor_in_paragraph(page_b, "start")
        typed_a = " Amina adds this."
        typed_b = "Lucas begins. "
        for i in range(max(len(typed_a), len(typed_b))):
            if i < len(typed_a):
                page_a.keyboard.type(typed_a[i])
            if i < len(typed_b):
                page_b.keyboard.type(typed_b[i])

        finished_typing = time.monotonic()
        expected = f"{typed_b}{PARAGRAPH}{typed_a}"
        while True:
            text_a, text_b, text_o = _text(page_a), _text(page_b), _text(observer)
            if text_a == text_b == text_o and expected in text_a:
                break
            assert time.monotonic() - finished_typing < 3.0, (text_a, text_b, text_o)
            time.sleep(0.05)
        # The editors got each other's typing pushed, the observer by `revs` windows.
        pushes = [page.evaluate("window.coedit.client.pushes") for page in (page_a, page_b)]
        assert sum(p["applied"] + p["ignored"] for p in pushes) >= 1, pushes
        assert "saved" not in observer.locator("[data-status-text]").inner_text()

        # Each page draws the other's cursor, labelled with their name.
        page_a.wait_for_selector(".cm-remote-caret", state="attached", timeout=3000)
        page_b.wait_for_selector(".cm-remote-caret", state="attached", timeout=3000)
        assert "Lucas Writer" in page_a.locator(".cm-remote-caret-label").all_inner_texts()
        assert "Amina Writer" in page_b.locator(".cm-remote-caret-label").all_inner_texts()
        assert page_a.locator("[data-peers] .peer", has_text="Lucas Writer").count() == 1
        # The anonymous observer is counted by the server, not listed by name.
        observers = page_a.locator("[data-peers] .peer.muted")
        observers.wait_for(timeout=3000)
        assert observers.inner_text() == "1 anonymous observer"

        # The editor uses the page's width (not a narrow column of a 1280 px window).
        width = page_a.viewport_size["width"]
        assert page_a.locator(".cm-editor").bounding_box()["width"] >= 0.6 * width
        # Authorship colours: who wrote which part of the live text.
        page_a.get_by_role("button", name="Show who wrote what").click()
        page_a.wait_for_selector(".cm-author[title='Lucas Writer']", timeout=5000)
        page_a.wait_for_selector(".cm-author[title='Amina Writer']", timeout=5000)
        authors = page_a.locator("[data-authors] .peer-name").all_inner_texts()
        assert set(authors) == {"Amina Writer", "Lucas Writer"}

        # Real CodeMirror typing takes the exact path: no edit needed fuzzy patching.
        for page in (page_a, page_b):
            assert page.evaluate("window.coedit.client.fuzzyFallbacks") == 0

        page_a.fill("#coedit-message", "Both writers at once")
        page_a.get_by_role("button", name="Publish as next version").click()
        page_a.wait_for_url(f"**/documents/{document.slug}")
        assert "Both writers at once" in page_a.content()
        db.session.expire_all()
        version = document.current_version
        assert version.number == 2
        assert version.message == "Both writers at once"
        assert expected in version.markdown
    finally:
        for context in contexts:
            context.close()


@pytest.mark.browser
def test_observer_follows_read_only_and_replays_the_edits(
    app,
    live_server,
    browser,
    make_user,
    make_body,
    make_document,
):
    writer = make_user(
        group="private_sector", name="Mei Writer", email="mei-b@example.org", password=PASSWORD
    )
    document = make_document(owner=make_body("Drafting team", members=[writer]))
    url = f"{live_server}/documents/{document.slug}/live"
    contexts = []
    try:
        context_w, editor = _logged_in_page(browser, app, live_server, writer)
        observer_context = browser.new_context(bypass_csp=True)  # wait_for_function needs eval
        contexts += [context_w, observer_context]
        observer = observer_context.new_page()
        observer.set_default_timeout(10_000)
        for page in (editor, observer):
            page.goto(url)
            page.wait_for_selector("[data-status][data-state=connected]")
        assert observer.locator(".cm-content").get_attribute("aria-readonly") == "true"
        assert observer.locator("#coedit-publish").count() == 0
        assert observer.locator("[data-mode-label]").inner_text().startswith("Read-only")

        _put_cursor_in_paragraph(editor, "end")
        editor.keyboard.type(" Watched live.")
        observer.wait_for_function(
            "window.coedit.view.state.doc.toString().includes('as equals. Watched live.')",
            timeout=3000,
        )
        observer.wait_for_selector("[data-preview] :text('Watched live.')", timeout=3000)
        # Typing in the observer's editor changes nothing.
        observer.locator(".cm-content").click()
        observer.keyboard.type("intruder")
        assert "intruder" not in _text(observer)
        assert observer.locator("[data-peers] .peer", has_text="Mei Writer").count() == 1

        replay = observer_context.new_page()
        replay.goto(f"{url}/replay")
        replay.wait_for_selector("[data-controls]:not([hidden])")
        slider = replay.locator("[data-slider]")
        last = int(slider.get_attribute("max"))
        assert last >= 1
        assert "Watched live." in replay.locator("[data-text]").inner_text()
        assert "Mei Writer" in replay.locator("[data-author]").inner_text()
        # one step for the writer's burst of typing, not one per keystroke
        assert last == 1, last
        replay.get_by_role("button", name="First edit").click()
        assert "Watched" not in replay.locator("[data-text]").inner_text()
        assert "Starting text" in replay.locator("[data-author]").inner_text()
        assert replay.locator("[data-position]").inner_text().startswith("Edit 1 of")
        replay.get_by_role("button", name="Next edit").click()
        assert replay.locator("[data-position]").inner_text().startswith("Edit 2 of")
        assert replay.locator("[data-text] ins").count() >= 1
    finally:
        for context in contexts:
            context.close()


@pytest.mark.browser
def test_typing_offline_is_synced_after_reconnecting(
    app,
    live_server,
    browser,
    make_user,
    make_body,
    make_document,
):
    writer = make_user(name="Offline Writer", email="offline-b@example.org", password=PASSWORD)
    other = make_user(name="Online Writer", email="online-b@example.org", password=PASSWORD)
    document = make_document(owner=make_body("Drafting team", members=[writer, other]))
    url = f"{live_server}/documents/{document.slug}/live"
    contexts = []
    try:
        context_a, page_a = _logged_in_page(browser, app, live_server, writer)
        context_b, page_b = _logged_in_page(browser, app, live_server, other)
        contexts += [context_a, context_b]
        for page in (page_a, page_b):
            page.goto(url)
            page.wait_for_selector("[data-status][data-state=connected]")
        page_a.evaluate("window.coedit.socket.disconnect()")
        page_a.wait_for_selector("[data-status]:not([data-state=connected])")
        _put_cursor_in_paragraph(page_a, "end")
        page_a.keyboard.type(" Written offline.")
        status = page_a.locator("[data-status-text]").inner_text()
        assert "unsynced change" in status
        _put_cursor_in_paragraph(page_b, "start")
        page_b.keyboard.type("Meanwhile online. ")
        page_b.wait_for_selector("[data-status-text]:has-text('all changes saved')")
        assert "Written offline" not in _text(page_b)

        page_a.evaluate("window.coedit.socket.connect()")
        expected = f"Meanwhile online. {PARAGRAPH} Written offline."
        page_b.wait_for_function(
            f"window.coedit.view.state.doc.toString().includes({expected!r})", timeout=5000
        )
        page_a.wait_for_function(
            f"window.coedit.view.state.doc.toString().includes({expected!r})", timeout=5000
        )
        page_a.wait_for_selector("[data-status-text]:has-text('all changes saved')")
    finally:
        for context in contexts:
            context.close()


@pytest.mark.browser
def test_a_refused_connection_shows_the_servers_message(
    app, live_server, browser, make_document, monkeypatch
):
    """The server refuses the socket with a code; the page shows the server's message.

    A same-origin page sends no Origin header with the polling handshake, so the refusal is
    provoked by making the origin check refuse every connection.
    """
    from app.coedit.events import connection

    document = make_document()
    monkeypatch.setattr(connection, "origin_allowed", lambda origin: False)
    context = browser.new_context(bypass_csp=True)  # wait_for_function needs eval
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server}/documents/{document.slug}/live")
        messages = page.locator("[data-messages]")
        messages.get_by_text("This site may not connect here.").wait_for()
        assert page.locator("[data-status]").get_attribute("data-state") == "stopped"
    finally:
        context.close()
