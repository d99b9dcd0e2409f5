"""The live draft's pages: the co-editing editor, its preview, publishing, and the replay."""

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.guards import login_redirect
from app.coedit import bp
from app.coedit.queries import live_state, text_at
from app.coedit.services import publish_live_text
from app.core.actions import domain_action
from app.core.errors import Forbidden, NotFound, TooLarge, ValidationError
from app.core.markdown import render_within
from app.core.renderdiff import rendered_diff
from app.documents import hooks
from app.documents.permissions import can_edit_live
from app.documents.queries import get_document
from app.documents.splitting import split_paragraphs
from app.extensions import db

hooks.document_tab("coedit.live", _l("Live draft"), 50)

MAX_MESSAGE = 2000
# A longer paragraph is previewed as plain text: inline Markdown costs up to ~10 us a character.
PREVIEW_MAX_PARAGRAPH = 20_000


def _language(document) -> str:
    """Live texts exist for the document's source language (docs/coedit-protocol.md "Channels")."""
    lang = request.args.get("lang") or document.language
    if lang != document.language:
        raise NotFound(
            _l(
                "%(title)s has no live draft in %(lang)s.",
                title=repr(document.title),
                lang=repr(lang),
            )
        )
    return lang


def _page(document, lang, *, message: str = "", status: int = 200):
    # A page only reads: a draft nobody has opened yet shows the current version at rev 0, and
    # the live text itself comes into being when an editor or follower joins its channel.
    text, rev = live_state(document, lang)
    editing = can_edit_live(current_user, document)
    return render_template(
        "coedit/live.html",
        document=document,
        lang=lang,
        live_text={"text": text, "rev": rev},
        editing=editing,
        paragraphs=split_paragraphs(text),
        message=message,
        document_tabs=hooks.TABS,
    ), status


@bp.route("/documents/<slug>/live")
def live(slug):
    """The working draft: editable by the drafting team, followed live by everyone else."""
    document = get_document(slug)
    return _page(document, _language(document))


@bp.route("/documents/<slug>/live/preview", methods=["POST"])
def preview(slug):
    """Render Markdown sent by the editor, paragraph by paragraph as document pages do."""
    document = get_document(slug)
    data = request.get_json(silent=True)
    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str):
        raise ValidationError(_l('Send {"text": "..."}.'))
    config = current_app.config
    # Anyone may call this: only the draft's editors may send a whole draft's worth of text.
    limit = config["COEDIT_MAX_TEXT"]
    if not can_edit_live(current_user, document):
        limit = min(limit, config["PREVIEW_MAX_TEXT_ANONYMOUS"])
    if len(text) > limit:
        raise TooLarge(
            _l("The text is too long to preview (at most %(limit)s characters).", limit=limit)
        )
    # Per paragraph: rendered paragraphs are cached, and whole texts would fill the cache.
    html = render_within(
        split_paragraphs(text), config["PREVIEW_TIME_BUDGET"], PREVIEW_MAX_PARAGRAPH
    )
    return jsonify(html=html)


@bp.route("/documents/<slug>/live/publish", methods=["POST"])
def publish(slug):
    """Turn the working draft into the document's next version."""
    document = get_document(slug)
    lang = _language(document)
    refusal = login_redirect(url_for("coedit.live", slug=slug))
    if refusal is not None:
        return refusal
    if not can_edit_live(current_user, document):
        raise Forbidden(_l("Only the drafting team may publish the live draft."))
    message = (request.form.get("message") or "").strip()
    if len(message) > MAX_MESSAGE:
        flash(
            _("A message has at most %(MAX_MESSAGE)s characters.", MAX_MESSAGE=MAX_MESSAGE), "error"
        )
        return _page(document, lang, message=message, status=400)
    with domain_action() as outcome:
        version = publish_live_text(document, lang, current_user, message)
        if version is None:
            db.session.rollback()  # nothing to publish: keep nothing of the attempt
    if outcome.failed:
        return _page(document, lang, message=message, status=outcome.error.status)
    if version is None:
        flash(_("The live draft is the same as the current version: nothing to publish."), "info")
        return redirect(url_for("coedit.live", slug=slug))
    flash(_("Published the live draft as %(label)s.", label=version.label), "success")
    if "documents.version" in current_app.view_functions:
        # The new version is the current one: its page is the document page.
        return redirect(url_for("documents.show", slug=slug))
    return redirect(url_for("coedit.live", slug=slug))


@bp.route("/documents/<slug>/live/replay")
def replay(slug):
    """Replay the live draft's edit log, edit by edit."""
    document = get_document(slug)
    lang = _language(document)
    log_url = f"{request.script_root}/api/documents/{document.slug}/live/log"
    return render_template(
        "coedit/replay.html",
        document=document,
        lang=lang,
        log_url=log_url,
        frame_url=url_for("coedit.replay_frame", slug=document.slug),
        document_tabs=hooks.TABS,
    )


@bp.route("/documents/<slug>/live/replay/frame")
def replay_frame(slug):
    """One step of the replay as formatted text with its changes marked (an HTML fragment).

    `from` is the revision before the step (-1 before the first), `to` the step's last one
    (by default the latest edit); logged revisions do not change, so browsers may keep the
    fragment for a while.
    """
    document = get_document(slug)
    lang = _language(document)
    try:
        last = int(request.args.get("to") or live_state(document, lang)[1])
        first = int(request.args.get("from") or last - 1)
    except ValueError as error:
        raise ValidationError(_l("`from` and `to` are revision numbers.")) from error
    if not -1 <= first < last <= 2**31 - 1:
        raise ValidationError(_l("`from` is at least -1 and below `to`."))
    before, after = text_at(document, lang, first), text_at(document, lang, last)
    response = current_app.make_response(str(rendered_diff(before, after)))
    response.mimetype = "text/html"
    response.cache_control.private = True
    response.cache_control.max_age = 3600
    return response
