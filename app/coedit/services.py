"""Creating, changing and publishing live texts; carrying merged amendments into them."""

import logging

from diff_match_patch import diff_match_patch
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from app.coedit import queries
from app.coedit.engine import as_changes, diff_main, to_delta
from app.coedit.models import EditLog, LiveText
from app.core import signals
from app.core.errors import Forbidden, ValidationError
from app.core.timeutil import utcnow
from app.documents.permissions import can_edit_live
from app.documents.services import append_version
from app.documents.splitting import split_paragraphs
from app.extensions import db

log = logging.getLogger(__name__)

PENDING_CHANGES = "coedit_changed"  # session.info key: `changed` events to emit after the commit


def get_or_create_live_text(document, lang: str | None = None) -> LiveText:
    """The live text of (document, lang), created from the current version at rev 0 if new."""
    lang = queries.check_language(document, lang)
    live = queries.live_text_for(document, lang)
    if live is not None:
        return live
    text = queries.initial_text(document)
    try:
        with db.session.begin_nested():
            live = LiveText(
                document_id=document.id, lang=lang, text=text, rev=0, updated_at=utcnow()
            )
            db.session.add(live)
            db.session.flush()
            db.session.add(
                EditLog(
                    live_text_id=live.id, rev=0, user_id=None, delta=to_delta(diff_main("", text))
                )
            )
            db.session.flush()
    except IntegrityError:  # another worker created it first
        live = queries.live_text_for(document, lang)
        if live is None:
            raise
    return live


def store_live_text_change(
    live_text_id: int, old_rev: int, text: str, *, user_id: int | None, delta: str
) -> bool:
    """Compare-and-swap: write `text` as rev old_rev + 1 with its log row, if rev is still old_rev."""
    return store_live_text_changes(live_text_id, old_rev, [(text, user_id, delta)])


def store_live_text_changes(live_text_id: int, old_rev: int, changes: list) -> bool:
    """Compare-and-swap several changes as revs old_rev + 1, ... at once.

    Each change is an engine `Change` (text, user_id, delta, client_id, client_n) or a plain
    (text, user_id, delta) of a writer that is no co-editing client. One UPDATE to the last
    text and rev (if rev is still old_rev) and one multi-row INSERT of the log rows, as plain
    table statements on the session's connection: this runs for every stored edit, and the
    ORM's unit of work cost more than the statements themselves.
    """
    changes = as_changes(changes)
    connection = db.session.connection()
    now = utcnow()
    live, log_table = LiveText.__table__, EditLog.__table__
    result = connection.execute(
        update(live)
        .where(live.c.id == live_text_id, live.c.rev == old_rev)
        .values(text=changes[-1].text, rev=old_rev + len(changes), updated_at=now)
    )
    if result.rowcount != 1:
        return False
    connection.execute(
        insert(log_table),
        [
            {
                "live_text_id": live_text_id,
                "rev": rev,
                "user_id": change.author,
                "delta": change.delta,
                "client_id": change.client_id,
                "client_n": change.client_n,
                "created_at": now,
            }
            for rev, change in enumerate(changes, start=old_rev + 1)
        ],
    )
    return True


def publish_live_text(document, lang: str | None, user, message: str):
    """Turn the working draft into the next version (paragraph keys aligned by append_version)."""
    if not can_edit_live(user, document):
        raise Forbidden(
            _l(
                "Only the drafting team, the owning body's coordinators and administrators "
                "publish the working draft."
            )
        )
    message = (message or "").strip()
    if len(message) > 2000:
        raise ValidationError(_l("A version message has at most 2000 characters."))
    live = get_or_create_live_text(document, lang)
    text, _rev = queries.live_content(live.id)
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise ValidationError(_l("The working draft is empty: there is nothing to publish."))
    version = append_version(
        document,
        paragraphs,
        cause="publish",
        author=user,
        message=message or "Published the working draft",
    )
    if version is None:
        raise ValidationError(_l("The working draft is the same as the current version."))
    return version


def apply_version_change(document, previous, version) -> int | None:
    """Carry the change between two versions into the live text as fuzzy patches; the new rev.

    Unpublished live edits are kept: only the version's change is patched in. Hunks that no
    longer apply are logged and counted, never reported as applied.
    """
    live = queries.live_text_for(document, document.language)
    if live is None or previous is None:
        return None  # a live text created later starts from the new current version
    dmp = diff_match_patch()
    patches = dmp.patch_make(previous.markdown, version.markdown)
    if not patches:
        return None
    for _attempt in range(20):
        text, rev = queries.live_content(live.id)
        new_text, results = dmp.patch_apply(patches, text)
        if new_text == text:
            _report_failed_hunks(document, version, results)
            return None
        delta = to_delta(diff_main(text, new_text))
        if store_live_text_change(live.id, rev, new_text, user_id=version.author_id, delta=delta):
            _report_failed_hunks(document, version, results)
            db.session.info.setdefault(PENDING_CHANGES, []).append(
                {"doc": document.slug, "lang": live.lang, "rev": rev + 1, "by": version.author_id}
            )
            return rev + 1
    raise ValidationError(_l("The live draft is changing too fast; try again."))


def _report_failed_hunks(document, version, results: list[bool]) -> None:
    """Hunks of a version's change that missed the live text: a warning and the engine's stats."""
    failed = results.count(False)
    if not failed:
        return
    stats = _engine_stats()
    if stats is not None:
        stats["version_hunks_failed"] += failed
        stats["version_changes_partial"] += 1
    log.warning(
        "live draft of %r (%s): %d of %d hunk(s) of version %s did not apply; "
        "the working draft lacks that part of the version's change",
        document.slug,
        document.language,
        failed,
        len(results),
        version.number,
    )


def _engine_stats():
    """This process's sync engine counters (the socket hub's), if the app has one."""
    from flask import current_app

    hub = current_app.extensions.get("coedit") if current_app else None
    return hub.engine.stats if hub is not None else None


@signals.version_created.connect
def _carry_amendment_into_live_text(document, version=None, previous=None, **_):
    """A merged amendment appears in every open editor without losing anyone's typing."""
    if version is not None and version.cause == "amendment":
        apply_version_change(document, previous, version)
