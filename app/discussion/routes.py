"""Public discussion archives: browse, read, post, reply, edit (search: app/search)."""

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.guards import login_required
from app.bodies.models import Body
from app.bodies.queries import bodies_user_can_speak_for, body_by_slug
from app.core.actions import domain_action
from app.core.errors import NotFound, ValidationError
from app.discussion import bp, queries, services
from app.discussion.forms import PERSONALLY, EditForm, ReplyForm, TopicForm, set_behalf_choices
from app.documents import hooks
from app.documents.queries import get_document
from app.extensions import db


def _page_number() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 100_000 else 1


def _by() -> str:
    return "date" if request.args.get("by") == "date" else "thread"


def _body(slug: str):
    body = body_by_slug(slug)
    if body is None:
        raise NotFound(_l("No body %(slug)s.", slug=repr(slug)))
    return body


def _user():
    return current_user._get_current_object()


def _behalf_body(form):
    """The body chosen in the form's "post as" field, or None for a personal post."""
    body_id = form.on_behalf_of.data
    if not body_id or body_id == PERSONALLY:
        return None

    body = db.session.get(Body, body_id) if 0 < body_id < 2**31 else None
    if body is None:
        raise ValidationError(_l("No such body to post on behalf of."))
    return body


def _archive(template_context: dict, *, body=None, document=None):
    by, page = _by(), _page_number()
    place = {"body_id": body.id if body else None, "document_id": document.id if document else None}
    listing = (queries.messages_by_date if by == "date" else queries.topics)(**place, page=page)
    first_ids = {}
    if by == "thread":
        first_ids = queries.first_message_ids([topic.id for topic, _ in listing.items])
    return render_template(
        "discussion/archive.html",
        listing=listing,
        by=by,
        body=body,
        document=document,
        first_ids=first_ids,
        **template_context,
    )


@bp.route("/discussions")
def index():
    return _archive({})


@bp.route("/bodies/<slug>/discussions")
def body_discussions(slug):
    return _archive({}, body=_body(slug))


@bp.route("/documents/<slug>/discussions")
def document_discussions(slug):
    document = get_document(slug)
    return _archive({"tabs": hooks.TABS, "page_heading": _l("Discussion")}, document=document)


def _topic_page(topic, form=None, status=200):
    if form is None and current_user.is_authenticated:
        form = ReplyForm(formdata=None)
        set_behalf_choices(form, bodies_user_can_speak_for(_user()))
    return render_template(
        "discussion/topic.html",
        topic=topic,
        thread=queries.thread(topic),
        form=form,
        can_edit=lambda message: services.can_edit(current_user, message),
    ), status


@bp.route("/discussions/<int:topic_id>")
def topic(topic_id):
    return _topic_page(services.get_topic(topic_id))


@bp.route("/messages/<int:message_id>")
def message(message_id):
    found = services.get_message(message_id)
    return redirect(url_for("discussion.topic", topic_id=found.topic_id, _anchor=f"m-{found.id}"))


def _new_topic(*, body=None, document=None):
    form = TopicForm()
    set_behalf_choices(form, bodies_user_can_speak_for(_user()))
    status = 200
    if form.validate_on_submit():
        with domain_action(flash_error=False) as outcome:
            created = services.start_topic(
                _user(),
                title=form.title.data,
                text=form.text.data,
                body=body,
                document=document,
                on_behalf_of=_behalf_body(form),
            )
        if outcome.failed:
            form.form_errors.append(outcome.error.message)
            status = outcome.error.status
        else:
            return redirect(url_for("discussion.topic", topic_id=created.id))
    elif form.is_submitted():
        status = 400
    return render_template(
        "discussion/new_topic.html", form=form, body=body, document=document
    ), status


@bp.route("/bodies/<slug>/discussions/new", methods=["GET", "POST"])
@login_required
def new_body_topic(slug):
    return _new_topic(body=_body(slug))


@bp.route("/documents/<slug>/discussions/new", methods=["GET", "POST"])
@login_required
def new_document_topic(slug):
    return _new_topic(document=get_document(slug))


@bp.route("/discussions/<int:topic_id>/reply", methods=["GET", "POST"])
@login_required
def reply(topic_id):
    found = services.get_topic(topic_id)
    form = ReplyForm()
    set_behalf_choices(form, bodies_user_can_speak_for(_user()))
    parent_raw = form.parent_id.data if request.method == "POST" else request.args.get("to", "")
    parent_raw = str(parent_raw or "")
    parent = (
        services.get_message(int(parent_raw))
        if parent_raw.isascii() and parent_raw.isdigit() and 0 < int(parent_raw) < 2**31
        else None
    )
    if parent is not None and parent.topic_id != found.id:
        raise NotFound(_l("That message is not part of this topic."))
    if request.method == "GET":
        form.parent_id.data = str(parent.id) if parent else ""
        return render_template("discussion/reply.html", topic=found, parent=parent, form=form)
    status = 400
    if form.validate_on_submit():
        with domain_action(flash_error=False) as outcome:
            posted = services.reply(
                _user(), found, text=form.text.data, parent=parent, on_behalf_of=_behalf_body(form)
            )
        if outcome.failed:
            form.form_errors.append(outcome.error.message)
            status = outcome.error.status
        else:
            return redirect(
                url_for("discussion.topic", topic_id=found.id, _anchor=f"m-{posted.id}")
            )
    return render_template("discussion/reply.html", topic=found, parent=parent, form=form), status


@bp.route("/messages/<int:message_id>/edit", methods=["GET", "POST"])
@login_required
def edit(message_id):
    found = services.get_message(message_id)
    if not services.can_edit(_user(), found):
        # Let the service say why (not the author, or the window has passed).
        services.edit_message(_user(), found, text=found.text)
    form = EditForm(obj=found) if request.method == "GET" else EditForm()
    status = 200
    if form.validate_on_submit():
        with domain_action(flash_error=False) as outcome:
            services.edit_message(_user(), found, text=form.text.data)
        if outcome.failed:
            form.form_errors.append(outcome.error.message)
            status = outcome.error.status
        else:
            return redirect(
                url_for("discussion.topic", topic_id=found.topic_id, _anchor=f"m-{found.id}")
            )
    elif form.is_submitted():
        status = 400
    return render_template("discussion/edit.html", message=found, form=form), status


@bp.route("/messages/<int:message_id>/history")
def history(message_id):
    found = services.get_message(message_id)
    return render_template(
        "discussion/history.html", message=found, revisions=list(found.revisions)
    )
