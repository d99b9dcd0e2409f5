"""The live draft's pages: the co-editing editor, its preview, publishing, and the replay."""

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.coedit import bp
from app.coedit.services import get_or_create_live_text, publish_live_text
from app.core.errors import DomainError, Forbidden, NotFound, TooLarge, ValidationError
from app.core.markdown import render_within
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
    """Live texts exist for the document's source language (COEDIT.md "Channels")."""
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
    live_text = get_or_create_live_text(document, lang)
    db.session.commit()  # the live text is created on first visit
    editing = can_edit_live(current_user, document)
    return render_template(
        "coedit/live.html",
        document=document,
        lang=lang,
        live_text=live_text,
        editing=editing,
        paragraphs=split_paragraphs(live_text.text),
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
    if not current_user.is_authenticated:
        if "accounts.login" in current_app.view_functions:
            return redirect(url_for("accounts.login", next=url_for("coedit.live", slug=slug)))
        raise Forbidden(_l("Log in to publish the live draft."))
    if not can_edit_live(current_user, document):
        raise Forbidden(_l("Only the drafting team may publish the live draft."))
    message = (request.form.get("message") or "").strip()
    if len(message) > MAX_MESSAGE:
        flash(
            _("A message has at most %(MAX_MESSAGE)s characters.", MAX_MESSAGE=MAX_MESSAGE), "error"
        )
        return _page(document, lang, message=message, status=400)
    try:
        version = publish_live_text(document, lang, current_user, message)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _page(document, lang, message=message, status=error.status)
    if version is None:
        db.session.rollback()
        flash(_("The live draft is the same as the current version: nothing to publish."), "info")
        return redirect(url_for("coedit.live", slug=slug))
    db.session.commit()
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
        document_tabs=hooks.TABS,
    )
