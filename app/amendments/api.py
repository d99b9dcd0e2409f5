"""JSON API of amendments (docs/design.md's contract), documented in /api/openapi.json."""

from flask import jsonify, request, url_for
from flask_babel import lazy_gettext as _l

from app.accounts.api_auth import api_user
from app.amendments import (
    openapi,  # noqa: F401 - registers the description
    proceedings,
    queries,
    services,
)
from app.amendments.models import STATUSES, attribution
from app.core.api import bp, json_body
from app.core.errors import ValidationError
from app.documents.queries import get_document
from app.extensions import db
from app.moderation.queries import hidden_reason


def amendment_json(amendment, tally=None) -> dict:
    body = amendment.on_behalf_body
    data = {
        "id": amendment.id,
        "document": amendment.document.slug,
        "kind": amendment.kind,
        "paragraph": amendment.paragraph_key if amendment.kind != "insert" else None,
        "after": amendment.paragraph_key if amendment.kind == "insert" else None,
        "base_version": amendment.base_version.number,
        "base_text": amendment.base_text,
        "text": amendment.text,
        "rationale": amendment.rationale,
        "status": amendment.status,
        "revision": amendment.revision,
        "proposer": {"name": amendment.proposer.name, "group": amendment.proposer_group},
        "on_behalf_of": {"slug": body.slug, "name": body.name} if body else None,
        "attribution": attribution(amendment),
        "merged_version": amendment.merged_version.number if amendment.merged_version else None,
        "decided_at": amendment.decided_at.isoformat() if amendment.decided_at else None,
        "decision": _decision_json(amendment),
        "created_at": amendment.created_at.isoformat(),
        "url": url_for("amendments.show", amendment_id=amendment.id, _external=False),
    }
    if tally is not None:
        data["tally"] = tally.as_json()
    reason = hidden_reason("amendment", amendment.id)
    data.update(hidden=reason is not None, hidden_reason=reason)
    if reason is not None:
        data["rationale"] = ""  # kept in the archive, shown as hidden by a moderator
    return data


def _decision_json(amendment) -> dict | None:
    if amendment.decided_at is None:
        return None
    by = amendment.decided_by
    return {
        "status": amendment.status,
        "reason": amendment.decision_reason or "",
        "by": {"id": by.id, "name": by.name} if by else None,
        "at": amendment.decided_at.isoformat(),
    }


def _reason_field() -> str:
    """The decision's reason from the JSON body: required, as a string."""
    reason = json_body().get("reason") if request.get_data() else None
    if reason is not None and not isinstance(reason, str):
        raise ValidationError(_l("`reason` must be a string."), code="reason_required")
    return reason or ""


def _version_json(version) -> dict:
    return {
        "number": version.number,
        "label": version.label,
        "message": version.message,
        "cause": version.cause,
        "created_at": version.created_at.isoformat(),
    }


@bp.get("/documents/<slug>/amendments")
def list_amendments(slug):
    document = get_document(slug)
    status = request.args.get("status", "all")
    if status not in STATUSES and status not in ("pending", "all"):
        raise ValidationError(_l("Unknown status filter."))
    amendments = queries.list_amendments(
        document,
        status=status,
        group=request.args.get("group") or None,
        paragraph=request.args.get("paragraph") or None,
        body=request.args.get("body") or None,
        interleave=request.args.get("order", "interleaved") != "chronological",
    )
    tallies = queries.tallies(a.id for a in amendments)
    return jsonify({"amendments": [amendment_json(a, tallies[a.id]) for a in amendments]})


@bp.post("/documents/<slug>/amendments")
def propose(slug):
    user = api_user()
    document = get_document(slug)
    data = json_body()
    for field in ("kind", "paragraph", "after", "text", "rationale", "on_behalf_of"):
        value = data.get(field)
        if value is not None and not isinstance(value, str):
            raise ValidationError(_l("`%(field)s` must be a string.", field=field))
    amendment = services.propose_amendment(
        document,
        user,
        kind=data.get("kind") or "modify",
        paragraph=data.get("paragraph"),
        after=data.get("after", data.get("paragraph") if data.get("kind") == "insert" else None),
        text=data.get("text") or "",
        rationale=data.get("rationale") or "",
        on_behalf_of=data.get("on_behalf_of"),
        version=data.get("version"),
    )
    db.session.commit()
    return jsonify(amendment_json(amendment, queries.tally(amendment))), 201


def _iso(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


@bp.post("/documents/<slug>/amendment-period")
def amendment_period(slug):
    """Open (with an optional closing date) or close a document's amendment period."""
    user = api_user()
    document = get_document(slug)
    data = json_body()
    if not isinstance(data.get("open"), bool):
        raise ValidationError(_l("`open` must be true or false."))
    proceedings.set_amendment_period(
        document,
        user,
        open_=data["open"],
        closes_at=proceedings.parse_closes_at(data.get("closes_at")) if data["open"] else None,
    )
    db.session.commit()
    return jsonify(
        {
            "document": document.slug,
            "status": document.status,
            "closes_at": _iso(document.amendments_close_at) if document.status == "open" else None,
        }
    )


@bp.get("/amendments/<int:amendment_id>")
def show(amendment_id):
    amendment = queries.get_amendment(amendment_id)
    return jsonify(amendment_json(amendment, queries.tally(amendment)))


@bp.put("/amendments/<int:amendment_id>/position")
def put_position(amendment_id):
    user = api_user()
    amendment = queries.get_amendment(amendment_id)
    stance = json_body().get("stance")
    position = services.set_position(amendment, user, stance if isinstance(stance, str) else "")
    db.session.commit()
    return jsonify(
        {
            "stance": position.stance,
            "revision": position.revision,
            "tally": queries.tally(amendment).as_json(),
        }
    )


@bp.delete("/amendments/<int:amendment_id>/position")
def delete_position(amendment_id):
    user = api_user()
    amendment = queries.get_amendment(amendment_id)
    removed = services.withdraw_position(amendment, user)
    db.session.commit()
    return jsonify({"withdrawn": removed, "tally": queries.tally(amendment).as_json()})


@bp.post("/amendments/<int:amendment_id>/accept")
def accept(amendment_id):
    user = api_user()
    amendment = queries.get_amendment(amendment_id)
    result = services.accept_amendment(amendment, user, _reason_field())
    db.session.commit()
    if not result.ok:
        return jsonify(
            {
                "error": {
                    "code": "conflict",
                    "message": result.conflict["message"],
                    "conflict": result.conflict,
                    "amendment": amendment_json(amendment),
                }
            }
        ), 409
    return jsonify(
        {"amendment": amendment_json(amendment), "version": _version_json(result.version)}
    )


def _decide_by_api(amendment_id: int, decide):
    amendment = decide(queries.get_amendment(amendment_id), api_user(), _reason_field())
    db.session.commit()
    return jsonify(amendment_json(amendment))


@bp.post("/amendments/<int:amendment_id>/reject")
def reject(amendment_id):
    return _decide_by_api(amendment_id, services.reject_amendment)


@bp.post("/amendments/<int:amendment_id>/request-rebase")
def request_rebase(amendment_id):
    return _decide_by_api(amendment_id, services.request_rebase)


@bp.post("/amendments/<int:amendment_id>/withdraw")
def withdraw(amendment_id):
    return _decide_by_api(amendment_id, services.withdraw_amendment)


@bp.post("/amendments/<int:amendment_id>/rebase")
def rebase(amendment_id):
    user = api_user()
    amendment = queries.get_amendment(amendment_id)
    # The body is optional, but one that is sent must parse: a lost `text` would rebase silently.
    data = json_body() if request.get_data() else {}
    text = data.get("text")
    if text is not None and not isinstance(text, str):
        raise ValidationError(_l("`text` must be a string."))
    services.rebase_amendment(amendment, user, text)
    db.session.commit()
    return jsonify(amendment_json(amendment, queries.tally(amendment)))
