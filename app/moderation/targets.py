"""What a report can point at: `post:<id>`, `comment:<id>`, `amendment:<id>`, `user:<id>`.

Each target is read from its own domain's model; the moderation domain only needs its body
(whose coordinators moderate it), a link, a short label and an excerpt.
"""

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.core.errors import NotFound, ValidationError
from app.extensions import db
from app.moderation.models import TARGET_KINDS


@dataclass(frozen=True)
class Target:
    kind: str
    id: int
    # The body whose coordinators moderate the content (None: administrators only).
    body_id: int | None
    label: str
    # Where the content is shown: an endpoint and its arguments (built in a request only).
    link: tuple
    excerpt: str
    author_id: int | None

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def url(self) -> str:
        endpoint, arguments = self.link
        return url_for(endpoint, **arguments)


def parse_target(value) -> tuple[str, int]:
    """("post", 12) from "post:12"; 400 for anything else."""
    from app.bodies.queries import valid_id

    kind, _, ident = str(value or "").partition(":")
    number = valid_id(ident)
    if kind not in TARGET_KINDS or number is None:
        raise ValidationError(
            _l('The target is "post:<id>", "comment:<id>", "amendment:<id>" or "user:<id>".'),
            code="bad_target",
        )
    return kind, number


def _excerpt(text: str, limit: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def resolve(kind: str, ident: int) -> Target:
    """The target, or a 404 naming what is missing."""
    loader = _LOADERS[kind]
    target = loader(ident)
    if target is None:
        raise NotFound(
            _l(
                "No %(what)s %(kind)s:%(ident)s.",
                what=TARGET_KINDS[kind].lower(),
                kind=kind,
                ident=ident,
            )
        )
    return target


def _post(ident: int) -> Target | None:
    from app.discussion.models import Message

    message = db.session.get(Message, ident)
    if message is None:
        return None
    topic = message.topic
    body_id = topic.body_id if topic.body_id is not None else topic.document.owner_body_id
    return Target(
        "post",
        message.id,
        body_id,
        f"Post in “{topic.title}”",
        ("discussion.topic", {"topic_id": topic.id, "_anchor": f"m-{message.id}"}),
        _excerpt(message.text),
        message.author_id,
    )


def _comment(ident: int) -> Target | None:
    from app.amendments.models import AmendmentComment

    comment = db.session.get(AmendmentComment, ident)
    if comment is None:
        return None
    amendment = db.session.get(_amendment_model(), comment.amendment_id)
    return Target(
        "comment",
        comment.id,
        amendment.document.owner_body_id,
        f"Comment on amendment #{amendment.id}",
        ("amendments.show", {"amendment_id": amendment.id, "_anchor": f"c-{comment.id}"}),
        _excerpt(comment.text),
        comment.author_id,
    )


def _amendment_model():
    from app.amendments.models import Amendment

    return Amendment


def _amendment(ident: int) -> Target | None:
    amendment = db.session.get(_amendment_model(), ident)
    if amendment is None:
        return None
    return Target(
        "amendment",
        amendment.id,
        amendment.document.owner_body_id,
        f"Rationale of amendment #{amendment.id}",
        ("amendments.show", {"amendment_id": amendment.id}),
        _excerpt(amendment.rationale),
        amendment.proposer_id,
    )


def _user(ident: int) -> Target | None:
    from app.accounts.models import User

    user = db.session.get(User, ident)
    if user is None:
        return None
    return Target(
        "user",
        user.id,
        None,
        f"Profile of {user.name}",
        ("accounts.person", {"user_id": user.id}),
        _excerpt(f"{user.name} · {user.organization}"),
        user.id,
    )


_LOADERS = {"post": _post, "comment": _comment, "amendment": _amendment, "user": _user}
