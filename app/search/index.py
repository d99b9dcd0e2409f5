"""Writing the index: one function per kind of content turns its rows into SearchEntry rows.

Receivers (app/search/receivers.py) call these inside the transaction that changed the content,
so the index commits or rolls back with it; `flask search reindex` rebuilds everything.
"""

from sqlalchemy import bindparam, delete, func, insert, select, text, update

from app.accounts.models import User
from app.amendments.models import Amendment, AmendmentComment
from app.bodies.models import Body
from app.core.timeutil import utcnow
from app.discussion.models import Message, Topic
from app.documents.models import Document
from app.extensions import db
from app.moderation.models import HiddenContent
from app.search.models import SearchEntry
from app.search.text import index_text, plain_text
from app.translations.models import Translation

# PostgreSQL text search configurations by language subtag, used when the server has them.
_POSTGRES_CONFIGS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}
_available_configs: set[str] | None = None


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def postgres_configs() -> set[str]:
    """The language configurations this PostgreSQL server has (read once per process)."""
    global _available_configs
    if _available_configs is None:
        names = set(db.session.scalars(text("SELECT cfgname FROM pg_ts_config")))
        _available_configs = {c for c in _POSTGRES_CONFIGS.values() if c in names}
    return _available_configs


def postgres_config(language: str | None) -> str:
    """The configuration that stems a language, or 'simple' (no stemming) when there is none."""
    name = _POSTGRES_CONFIGS.get((language or "").split("-")[0].lower())
    return name if name and name in postgres_configs() else "simple"


def _hidden(kind: str, ident: int) -> bool:
    return (
        db.session.scalar(
            select(HiddenContent.id).where(
                HiddenContent.target_kind == kind, HiddenContent.target_id == ident
            )
        )
        is not None
    )


def _row(kind, target_id, *, title="", searchable_title="", body_text="", **place) -> dict:
    return {
        "kind": kind,
        "target_id": target_id,
        "document_id": place.get("document_id"),
        "body_id": place.get("body_id"),
        "stakeholder_group": place.get("group"),
        "language": place.get("language"),
        "anchor": str(place.get("anchor") or ""),
        "position": place.get("position"),
        "title": title,
        "body_text": body_text,
        "folded_title": index_text(searchable_title),
        "folded_text": index_text(body_text),
        "created_at": place.get("created_at") or utcnow(),
    }


def _write(rows: list[dict]) -> None:
    """Insert rows; on PostgreSQL compute their tsvector from the folded text."""
    if not rows:
        return
    ids = list(
        db.session.scalars(
            insert(SearchEntry).returning(SearchEntry.id, sort_by_parameter_order=True), rows
        )
    )
    if _dialect() != "postgresql":
        return
    by_config: dict[str, list[int]] = {}
    for ident, row in zip(ids, rows, strict=True):
        by_config.setdefault(postgres_config(row["language"]), []).append(ident)
    folded = SearchEntry.folded_title.op("||")(" ").op("||")(SearchEntry.folded_text)
    for config, chunk in by_config.items():
        vector = func.to_tsvector(text("'simple'::regconfig"), folded)
        if config != "simple":
            vector = vector.op("||")(func.to_tsvector(text(f"'{config}'::regconfig"), folded))
        db.session.execute(
            update(SearchEntry)
            .where(SearchEntry.id.in_(bindparam("ids", expanding=True)))
            .values(tsv=vector)
            .execution_options(synchronize_session=False),
            {"ids": chunk},
        )


def _forget(kind: str, *conditions) -> None:
    db.session.execute(
        delete(SearchEntry)
        .where(SearchEntry.kind == kind, *conditions)
        .execution_options(synchronize_session=False)
    )


# --- documents and their translations ---------------------------------------------------------


def _paragraph_rows(document: Document) -> list[dict]:
    version = document.current_version
    if version is None:
        return []
    return [
        _row(
            "document",
            paragraph.id,
            title=document.title,
            body_text=plain_text(paragraph.text),
            document_id=document.id,
            body_id=document.owner_body_id,
            language=document.language,
            anchor=paragraph.key,
            position=paragraph.position,
            created_at=version.created_at,
        )
        for paragraph in version.paragraphs
    ]


def _translation_rows(document: Document, translations) -> list[dict]:
    version = document.current_version
    positions = {p.key: p.position for p in version.paragraphs} if version else {}
    return [
        _row(
            "translation",
            translation.id,
            title=document.title,
            body_text=plain_text(translation.text),
            document_id=document.id,
            body_id=document.owner_body_id,
            language=translation.lang,
            anchor=translation.key,
            position=positions[translation.key],
            created_at=translation.updated_at,
        )
        for translation in translations
        if translation.key in positions and translation.text.strip()
    ]


def index_document(document: Document) -> None:
    """The current version's paragraphs and their translations replace what was indexed."""
    _forget("document", SearchEntry.document_id == document.id)
    _forget("translation", SearchEntry.document_id == document.id)
    translations = db.session.scalars(
        select(Translation).where(Translation.document_id == document.id)
    )
    _write(_paragraph_rows(document) + _translation_rows(document, translations))


def index_translation(translation: Translation) -> None:
    _forget("translation", SearchEntry.target_id == translation.id)
    document = db.session.get(Document, translation.document_id)
    _write(_translation_rows(document, [translation]))


# --- amendments and comments ------------------------------------------------------------------


def _amendment_rows(amendment: Amendment) -> list[dict]:
    parts = [plain_text(amendment.text)]
    if not _hidden("amendment", amendment.id):  # a hidden rationale is not found
        parts.append(plain_text(amendment.rationale))
    document = amendment.document
    return [
        _row(
            "amendment",
            amendment.id,
            title=document.title,
            body_text="\n".join(p for p in parts if p),
            document_id=document.id,
            body_id=amendment.on_behalf_body_id,
            group=amendment.proposer_group,
            language=document.language,
            anchor=amendment.paragraph_key or "",
            created_at=amendment.created_at,
        )
    ]


def index_amendment(amendment: Amendment) -> None:
    _forget("amendment", SearchEntry.target_id == amendment.id)
    _write(_amendment_rows(amendment))


def _comment_rows(comment: AmendmentComment, amendment: Amendment) -> list[dict]:
    return [
        _row(
            "comment",
            comment.id,
            title=amendment.document.title,
            body_text=plain_text(comment.text),
            document_id=amendment.document_id,
            body_id=comment.on_behalf_body_id,
            group=comment.author.group if comment.author else None,
            anchor=amendment.id,
            created_at=comment.created_at,
        )
    ]


def index_comment(comment: AmendmentComment, amendment: Amendment) -> None:
    _forget("comment", SearchEntry.target_id == comment.id)
    _write(_comment_rows(comment, amendment))


# --- discussion posts -------------------------------------------------------------------------


def _post_rows(message: Message, topic: Topic) -> list[dict]:
    first = message.parent_id is None
    return [
        _row(
            "post",
            message.id,
            title=topic.title,
            # The subject is searched with the topic's first message only.
            searchable_title=topic.title if first else "",
            body_text=plain_text(message.text),
            document_id=topic.document_id,
            body_id=topic.body_id or message.on_behalf_body_id,
            group=message.author.group if message.author else None,
            anchor=topic.id,
            created_at=message.created_at,
        )
    ]


def index_post(message: Message, topic: Topic) -> None:
    _forget("post", SearchEntry.target_id == message.id)
    _write(_post_rows(message, topic))


def forget_topic(connection, topic_id: int) -> None:
    """A deleted topic's posts leave the index (its messages go by ON DELETE CASCADE)."""
    connection.execute(
        delete(SearchEntry).where(SearchEntry.kind == "post", SearchEntry.anchor == str(topic_id))
    )


# --- bodies and people ------------------------------------------------------------------------


def _body_rows(body: Body) -> list[dict]:
    purpose = plain_text(body.purpose)
    return [
        _row(
            "body",
            body.id,
            title=body.name,
            searchable_title=body.name,
            body_text=purpose,
            body_id=body.id,
            created_at=body.created_at,
        )
    ]


def index_body(body: Body) -> None:
    _forget("body", SearchEntry.target_id == body.id)
    _write(_body_rows(body))


def _person_rows(user: User) -> list[dict]:
    """People are found by their public name only."""
    return [
        _row(
            "person",
            user.id,
            title=user.name,
            searchable_title=user.name,
            group=user.group,
            created_at=user.created_at,
        )
    ]


def index_person(user: User) -> None:
    _forget("person", SearchEntry.target_id == user.id)
    _write(_person_rows(user))


# --- everything -------------------------------------------------------------------------------


def reindex_all() -> int:
    """Rebuild the whole index from the content; returns the number of entries."""
    db.session.execute(delete(SearchEntry).execution_options(synchronize_session=False))
    rows: list[dict] = []
    translations: dict[int, list[Translation]] = {}
    for translation in db.session.scalars(select(Translation)):
        translations.setdefault(translation.document_id, []).append(translation)
    for document in db.session.scalars(select(Document).order_by(Document.id)):
        rows += _paragraph_rows(document)
        rows += _translation_rows(document, translations.get(document.id, []))
    for amendment in db.session.scalars(select(Amendment).order_by(Amendment.id)):
        rows += _amendment_rows(amendment)
        for comment in db.session.scalars(
            select(AmendmentComment).where(AmendmentComment.amendment_id == amendment.id)
        ):
            rows += _comment_rows(comment, amendment)
    for message in db.session.scalars(select(Message).order_by(Message.id)):
        rows += _post_rows(message, message.topic)
    for body in db.session.scalars(select(Body).order_by(Body.id)):
        rows += _body_rows(body)
    for user in db.session.scalars(select(User).order_by(User.id)):
        rows += _person_rows(user)
    for start in range(0, len(rows), 500):
        _write(rows[start : start + 500])
    return len(rows)
