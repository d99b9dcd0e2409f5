"""Pages of mail: verification and reset links, one-click unsubscribe, the admin mail viewer."""

from email import policy
from email.parser import BytesParser
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.guards import login_redirect, login_required
from app.core.actions import domain_action
from app.core.errors import ValidationError
from app.extensions import csrf, db
from app.mail import account, bp
from app.mail.addresses import unsign
from app.mail.forms import ForgotForm, ResetForm
from app.mail.models import OutboxMail
from app.mail.unsubscribe import unsubscribe


# A forged, altered or expired link names nothing: 404, like any unknown address.
@bp.route("/verify/<verify_token>")
def verify(verify_token: str):
    with domain_action(catch=ValidationError, flash_error=False) as outcome:
        account.verify_address(verify_token)
    if (error := outcome.error) is not None:
        return render_template(
            "mail/message.html", title=_("Not confirmed"), text=error.message
        ), 404
    return render_template(
        "mail/message.html",
        title=_("Address confirmed"),
        text=_("Your e-mail address is confirmed: notifications and lists can reach it now."),
    )


@bp.route("/verify/resend", methods=["POST"])
@login_required
def resend_verification():
    if current_user.email_verified_at is None:
        account.queue_verification(current_user._get_current_object())
        db.session.commit()
    flash(_("A confirmation link is on its way to your address."), "info")
    return redirect(url_for("accounts.profile"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotForm()
    if form.validate_on_submit():
        account.request_password_reset(form.email.data)
        db.session.commit()
        # The same answer whether or not an account has the address.
        return render_template(
            "mail/message.html",
            title="Check your mail",
            text="If an account has this address, a reset link is on its way to it.",
        )
    return render_template("mail/forgot.html", form=form), 400 if form.is_submitted() else 200


@bp.route("/password/reset/<reset_token>", methods=["GET", "POST"])
def reset_password(reset_token: str):
    try:
        account.user_for_reset(reset_token)
    except ValidationError as error:
        return render_template(
            "mail/message.html", title=_("Link not valid"), text=error.message
        ), 404
    form = ResetForm()
    if form.validate_on_submit():
        with domain_action(catch=ValidationError, flash_error=False) as outcome:
            account.reset_password(reset_token, form.password.data)
        if (error := outcome.error) is not None:
            form.password.errors = [error.message]
        else:
            flash(_("Your password is changed; log in with it."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("mail/reset.html", form=form), 400 if form.is_submitted() else 200


@bp.route("/mail/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def one_click_unsubscribe(token: str):
    """RFC 8058: mail clients POST here without a session; a person GETs a confirm page."""
    payload = unsign("unsubscribe", token)
    if not isinstance(payload, list) or len(payload) != 2:
        return render_template(
            "mail/message.html",
            title=_("Link not valid"),
            text=_("This unsubscribe link is not valid."),
        ), 404
    if request.method == "GET":
        return render_template("mail/unsubscribe.html", token=token)
    what = unsubscribe(int(payload[0]), str(payload[1]))
    db.session.commit()
    return render_template("mail/message.html", title=_("Unsubscribed"), text=what)


def _require_admin():
    refusal = login_redirect()
    if refusal is not None:
        return refusal
    if not current_user.is_admin:
        abort(403)
    return None


def _eml_files() -> list[Path]:
    directory = Path(current_app.config["MAIL_DIR"])
    if not directory.is_dir():
        return []
    return sorted(directory.glob("*.eml"), reverse=True)[:200]


@bp.route("/admin/mail")
def admin_mail():
    """Administrators read what was sent: the .eml files and the outbox's state."""
    refusal = _require_admin()
    if refusal is not None:
        return refusal
    parser = BytesParser(policy=policy.default)
    files = []
    for path in _eml_files():
        with path.open("rb") as handle:
            headers = parser.parse(handle, headersonly=True)
        files.append({"name": path.name, "to": headers["To"], "subject": headers["Subject"]})
    recent = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id.desc()).limit(50))
    return render_template("mail/admin.html", files=files, outbox=list(recent))


@bp.route("/admin/mail/<name>")
def admin_mail_file(name: str):
    refusal = _require_admin()
    if refusal is not None:
        return refusal
    path = next((p for p in _eml_files() if p.name == name), None)
    if path is None:
        abort(404)
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    body = message.get_body(preferencelist=("plain",))
    return render_template(
        "mail/admin_file.html",
        name=name,
        headers=list(message.items()),
        text=body.get_content() if body else "",
    )
