"""Searching the index: one query over every kind, on SQLite FTS5 and PostgreSQL text search.

A result matches when every word of the query is in its text or title (a run of Chinese or
Japanese characters as a phrase of character pairs). Hidden posts, comments and profiles are
never found; everything else on the platform is public.
"""

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import and_, column, exists, func, literal_column, or_, select, table, text
from sqlalchemy.sql.elements import ColumnElement

from app.accounts.models import STAKEHOLDER_GROUPS
from app.bodies.models import Body
from app.bodies.queries import body_by_slug
from app.core.errors import NotFound, ValidationError
from app.discussion.queries import Page
from app.documents.models import Document
from app.extensions import db
from app.moderation.models import HiddenContent
from app.search.index import postgres_configs
from app.search.models import FTS_TABLE, SearchEntry
from app.search.text import Term, highlight, search_terms

PER_PAGE = 20
MAX_QUERY = 200
MAX_PAGE = 10000
# The kinds one may ask for, and the kinds of index rows each covers.
KINDS = {
    "document": ("document", "translation"),
    "amendment": ("amendment",),
    "comment": ("comment",),
    "post": ("post",),
    "body": ("body",),
    "person": ("person",),
}
KIND_LABELS = {
    "document": _l("Document paragraphs"),
    "amendment": _l("Amendments"),
    "comment": _l("Comments"),
    "post": _l("Discussion posts"),
    "body": _l("Bodies"),
    "person": _l("People"),
}
# Index kinds whose whole content a moderator may hide, with moderation's name for them.
_HIDEABLE = {"post": "post", "comment": "comment", "person": "user"}
ORDERS = ("relevance", "recent")


@dataclass
class Criteria:
    query: str = ""
    kinds: list[str] = field(default_factory=list)
    document: Document | None = None
    body: Body | None = None
    group: str | None = None
    page: int = 1
    order: str = "relevance"

    @property
    def terms(self) -> list[Term]:
        return search_terms(self.query)


def _one(args, name: str) -> str:
    value = args.get(name) or ""
    if "\x00" in value:
        raise ValidationError(_l("Parameters may not contain NUL characters."))
    return value.strip()


def parse_criteria(args) -> Criteria:
    """Criteria from query parameters (q, kind, document, body, group, page, order); a clear
    400 for anything malformed and a 404 for an unknown document or body."""
    query = _one(args, "q")
    if len(query) > MAX_QUERY:
        raise ValidationError(
            _l("A search has at most %(max)s characters.", max=MAX_QUERY), code="query_too_long"
        )
    kinds: list[str] = []
    for value in args.getlist("kind") if hasattr(args, "getlist") else [args.get("kind")]:
        if value and "\x00" in value:
            raise ValidationError(_l("Parameters may not contain NUL characters."))
        for kind in (value or "").split(","):
            kind = kind.strip()
            if not kind:
                continue
            if kind not in KINDS:
                raise ValidationError(
                    _l(
                        "Unknown kind %(kind)s: choose among %(kinds)s.",
                        kind=repr(kind),
                        kinds=", ".join(KINDS),
                    ),
                    code="unknown_kind",
                )
            if kind not in kinds:
                kinds.append(kind)
    page = _one(args, "page") or "1"
    if not (page.isascii() and page.isdigit() and 1 <= int(page) <= MAX_PAGE):
        raise ValidationError(_l("page is an integer from 1 to %(maximum)s.", maximum=MAX_PAGE))
    group = _one(args, "group") or None
    if group is not None and group not in STAKEHOLDER_GROUPS:
        raise ValidationError(
            _l(
                "Unknown stakeholder group %(group)s: choose among %(groups)s.",
                group=repr(group),
                groups=", ".join(STAKEHOLDER_GROUPS),
            ),
            code="unknown_group",
        )
    order = _one(args, "order") or "relevance"
    if order not in ORDERS:
        raise ValidationError(
            _l("order is %(orders)s.", orders=" or ".join(ORDERS)), code="bad_order"
        )
    document = body = None
    if slug := _one(args, "document"):
        document = db.session.scalar(select(Document).where(Document.slug == slug))
        if document is None:
            raise NotFound(_l("No document %(slug)s.", slug=repr(slug)))
    if slug := _one(args, "body"):
        body = body_by_slug(slug)
        if body is None:
            raise NotFound(_l("No body %(slug)s.", slug=repr(slug)))
    return Criteria(query, kinds, document, body, group, int(page), order)


def _sqlite_match(terms: list[Term]):
    """(rowid subquery with rank) for an FTS5 MATCH of every term; tokens are letters only."""
    parts = []
    for term in terms:
        phrase = '"' + " ".join(term.tokens) + '"'
        parts.append(phrase + "*" if term.prefix else phrase)
    fts = table(FTS_TABLE, column("rowid"), column("rank"))
    return (
        select(fts.c.rowid, fts.c.rank.label("score"))
        .where(literal_column(FTS_TABLE).op("MATCH")(" ".join(parts)))
        .subquery()
    )


def _postgres_query(terms: list[Term]) -> ColumnElement:
    """A tsquery: every term, each as itself ('simple') or as any language's stem."""
    simple = text("'simple'::regconfig")
    combined = None
    for term in terms:
        if term.prefix:
            query = func.to_tsquery(simple, term.text + ":*")
        elif len(term.tokens) > 1:
            query = func.phraseto_tsquery(simple, " ".join(term.tokens))
        else:
            query = func.plainto_tsquery(simple, term.text)
            for config in sorted(postgres_configs()):
                stemmed = func.plainto_tsquery(text(f"'{config}'::regconfig"), term.text)
                query = query.op("||")(stemmed)
        combined = query if combined is None else combined.op("&&")(query)
    return combined


def _visible() -> ColumnElement[bool]:
    hidden = exists().where(
        HiddenContent.target_id == SearchEntry.target_id,
        or_(
            *(
                and_(SearchEntry.kind == kind, HiddenContent.target_kind == target)
                for kind, target in _HIDEABLE.items()
            )
        ),
    )
    return ~hidden


def search(criteria: Criteria, per_page: int = PER_PAGE) -> Page:
    """One page of results (dicts, see `_result`), best first or newest first."""
    terms = criteria.terms
    if not terms:
        return Page([], 0, criteria.page, per_page)
    statement = select(SearchEntry)
    if db.session.get_bind().dialect.name == "sqlite":
        matched = _sqlite_match(terms)
        statement = statement.join(matched, matched.c.rowid == SearchEntry.id)
        score = matched.c.score  # bm25: lower is better
    else:
        query = _postgres_query(terms)
        statement = statement.where(SearchEntry.tsv.op("@@")(query))
        score = -func.ts_rank(SearchEntry.tsv, query)
    statement = statement.where(_visible())
    if criteria.kinds:
        statement = statement.where(
            SearchEntry.kind.in_([k for kind in criteria.kinds for k in KINDS[kind]])
        )
    if criteria.document is not None:
        statement = statement.where(SearchEntry.document_id == criteria.document.id)
    if criteria.body is not None:
        statement = statement.where(SearchEntry.body_id == criteria.body.id)
    if criteria.group is not None:
        statement = statement.where(SearchEntry.stakeholder_group == criteria.group)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    if criteria.order == "recent":
        ordering = (SearchEntry.created_at.desc(), SearchEntry.id.desc())
    else:
        ordering = (score, SearchEntry.created_at.desc(), SearchEntry.id.desc())
    entries = db.session.scalars(
        statement.order_by(*ordering).limit(per_page).offset((criteria.page - 1) * per_page)
    ).all()
    return Page(_results(entries, terms), total, criteria.page, per_page)


def _results(entries: list[SearchEntry], terms: list[Term]) -> list[dict]:
    document_ids = {e.document_id for e in entries if e.document_id}
    body_ids = {e.body_id for e in entries if e.body_id}
    documents = (
        {d.id: d for d in db.session.scalars(select(Document).where(Document.id.in_(document_ids)))}
        if document_ids
        else {}
    )
    bodies = (
        {b.id: b for b in db.session.scalars(select(Body).where(Body.id.in_(body_ids)))}
        if body_ids
        else {}
    )
    return [_result(e, documents.get(e.document_id), bodies.get(e.body_id), terms) for e in entries]


def _title(entry: SearchEntry) -> str:
    if entry.kind in ("document", "translation"):
        return str(
            _l(
                "%(title)s, paragraph %(number)s",
                title=entry.title,
                number=(entry.position or 0) + 1,
            )
        )
    if entry.kind == "amendment":
        return str(_l("Amendment %(id)s to %(title)s", id=entry.target_id, title=entry.title))
    if entry.kind == "comment":
        return str(
            _l("Comment on amendment %(id)s to %(title)s", id=entry.anchor, title=entry.title)
        )
    return entry.title


def _url(entry: SearchEntry, document: Document | None, body: Body | None) -> str:
    kind = entry.kind
    if kind == "document":
        return url_for("documents.show", slug=document.slug, _anchor=f"p-{entry.anchor}")
    if kind == "translation":
        return url_for(
            "documents.show", slug=document.slug, lang=entry.language, _anchor=f"p-{entry.anchor}"
        )
    if kind == "amendment":
        return url_for("amendments.show", amendment_id=entry.target_id)
    if kind == "comment":
        return url_for(
            "amendments.show", amendment_id=int(entry.anchor), _anchor=f"c-{entry.target_id}"
        )
    if kind == "post":
        return url_for(
            "discussion.topic", topic_id=int(entry.anchor), _anchor=f"m-{entry.target_id}"
        )
    if kind == "body":
        return url_for("bodies.show", slug=body.slug)
    return url_for("accounts.person", user_id=entry.target_id)


def _result(entry, document, body, terms) -> dict:
    kind = "document" if entry.kind == "translation" else entry.kind
    snippet: Markup = highlight(entry.body_text or entry.title, terms)
    return {
        "kind": kind,
        "id": entry.target_id,
        "title": _title(entry),
        "snippet": snippet,
        "url": _url(entry, document, body),
        "document": {"slug": document.slug, "title": document.title} if document else None,
        "body": {"slug": body.slug, "name": body.name} if body else None,
        "language": entry.language,
        "group": entry.stakeholder_group,
        "paragraph": entry.anchor if kind == "document" else None,
        "created_at": entry.created_at.isoformat(),
    }
