"""What a report can point at: `post:<id>`, `comment:<id>`, `amendment:<id>`, `user:<id>`.

Each target is read from its own domain's model; the moderation domain only needs its body
(whose coordinators moderate it), a link, a short label and an excerpt. Content domains sit
above moderation (they ask it what is hidden), so they register their loaders here with
`target_loader(kind)`; people are read here, accounts being below.
"""

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.bodies.queries import valid_id
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
    kind, _, ident = str(value or "").partition(":")
    number = valid_id(ident)
    if kind not in TARGET_KINDS or number is None:
        raise ValidationError(
            _l('The target is "post:<id>", "comment:<id>", "amendment:<id>" or "user:<id>".'),
            code="bad_target",
        )
    return kind, number


def excerpt(text: str, limit: int = 160) -> str:
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


def _user(ident: int) -> Target | None:
    user = db.session.get(User, ident)
    if user is None:
        return None
    return Target(
        "user",
        user.id,
        None,
        f"Profile of {user.name}",
        ("accounts.person", {"user_id": user.id}),
        excerpt(f"{user.name} · {user.organization}"),
        user.id,
    )


_LOADERS = {"user": _user}


def target_loader(kind: str):
    """Register `loader(ident) -> Target | None` for a kind of TARGET_KINDS (a decorator)."""

    def register(loader):
        _LOADERS[kind] = loader
        return loader

    return register
