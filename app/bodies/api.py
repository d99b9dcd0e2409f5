"""JSON API: bodies and their members."""

from flask import jsonify

from app.bodies import openapi  # noqa: F401 - registers the description
from app.bodies.models import COORDINATOR
from app.bodies.queries import bodies_by_kind, coordinators_by_body, get_body, memberships
from app.core.api import bp


def _person(user) -> dict:
    return {"name": user.name, "group": user.group, "side": user.side}


def _summary(body, count: int, coordinators) -> dict:
    return {
        "slug": body.slug,
        "name": body.name,
        "kind": body.kind,
        "coordinators": [_person(u) for u in coordinators],
        "member_count": count,
    }


@bp.route("/bodies")
def api_bodies():
    by_body = coordinators_by_body()
    return jsonify(
        {
            "bodies": [
                _summary(body, count, by_body.get(body.id, []))
                for _, _, items in bodies_by_kind()
                for body, count in items
            ]
        }
    )


@bp.route("/bodies/<slug>")
def api_body(slug):
    body = get_body(slug)
    active = memberships(body.id)
    data = _summary(body, len(active), [m.user for m in active if m.role == COORDINATOR])
    data.update(
        {
            "team_role": body.team_role,
            "purpose": body.purpose,
            "is_open": body.is_open,
            "members": [{**_person(m.user), "role": m.role} for m in active],
        }
    )
    return jsonify(data)
