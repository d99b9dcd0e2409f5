"""Registration, login, profile and API tokens."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.accounts import bp, groups, services
from app.accounts.forms import (
    EmailForm,
    LoginForm,
    PasswordForm,
    ProfileForm,
    RegisterForm,
    TokenForm,
    attach_error,
)
from app.accounts.guards import login_required
from app.accounts.regions import REGIONS
from app.core import signals
from app.core.actions import domain_action
from app.core.errors import ValidationError
from app.extensions import db


def _safe_next(target: str | None) -> str:
    """`target` when it is a path on this site, else the home page (no open redirect)."""
    if target:
        target = target.strip()
        parts = urlsplit(target)
        if (
            target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
            and not parts.scheme
            and not parts.netloc
        ):
            return target
    return url_for("main.index")


def _start_session(user) -> None:
    """Begin a fresh session for `user`: nothing from the anonymous session survives."""
    session.clear()
    login_user(user)


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = RegisterForm()
    if form.validate_on_submit():
        with domain_action(catch=ValidationError, flash_error=False) as outcome:
            services.register_user(
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                group=form.group.data,
                country=form.country.data,
                organization=form.organization.data or "",
            )
        if (error := outcome.error) is not None:
            if error.code != services.EMAIL_TAKEN:
                attach_error(form, error.message)
            else:
                # Answer as for a new account; the owner learns of the attempt by mail.
                owner = services.owner_of_email(form.email.data)
                if owner is not None:
                    signals.registration_for_taken_email.send(owner)
                db.session.commit()
                return _registered(form.email.data)
        else:
            # register_user announced the new account (verification mail)
            return _registered(form.email.data)
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/register.html", form=form), status


def _registered(email: str):
    """The one answer to a registration, whether the address was free or taken.

    Saying "welcome" only to new addresses would tell anyone who is registered here.
    """
    flash(
        _(
            "Check your mail: we have written to %(email)s. If the account is new, log in now with the password you chose.",
            email=email.strip(),
        ),
        "success",
    )
    return redirect(url_for("accounts.login", next=request.args.get("next") or None))


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(_safe_next(next_url))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()  # keeps a re-hashed password
            _start_session(user)
            return redirect(_safe_next(next_url))
        form.form_errors.append(_("The e-mail address or the password is not correct."))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form, next_url=next_url), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        services.renew_session_epoch(current_user._get_current_object())
        db.session.commit()
        logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


def _profile_page(
    profile_form=None,
    password_form=None,
    token_form=None,
    new_token=None,
    status=200,
    email_form=None,
):
    user = current_user._get_current_object()
    if profile_form is None:
        profile_form = ProfileForm(formdata=None, obj=user)
    return render_template(
        "accounts/profile.html",
        user=user,
        profile_form=profile_form,
        password_form=password_form or PasswordForm(formdata=None),
        email_form=email_form or EmailForm(formdata=None),
        token_form=token_form or TokenForm(formdata=None),
        tokens=services.tokens_of(user),
        new_token=new_token,
        regions=REGIONS,
    ), status


@bp.route("/profile")
@login_required
def profile():
    return _profile_page()


@bp.route("/profile/details", methods=["POST"])
@login_required
def update_profile():
    form = ProfileForm()
    if form.validate_on_submit():
        with domain_action(catch=ValidationError, flash_error=False) as outcome:
            requested = services.update_profile(
                current_user._get_current_object(),
                name=form.name.data,
                organization=form.organization.data or "",
                country=form.country.data,
                group=form.group.data,
            )
        if (error := outcome.error) is not None:
            attach_error(form, error.message)
        else:
            flash(_("Your details are saved."), "success")
            if requested is not None:
                flash(
                    _(
                        "Your change to %(to_group)s waits for an administrator or a focal "
                        "point of that group to confirm it; until then you count as "
                        "%(from_group)s.",
                        to_group=requested.to_label,
                        from_group=requested.from_label,
                    ),
                    "info",
                )
            return redirect(url_for("accounts.profile"))
    return _profile_page(profile_form=form, status=400)


def _change_credentials(form, form_key: str, change, done: str):
    """Password and address changes share one shape: on success the other sessions end."""
    if form.validate_on_submit():
        with domain_action(catch=ValidationError, flash_error=False) as outcome:
            change(current_user._get_current_object())
        if (error := outcome.error) is not None:
            attach_error(form, error.message)
        else:
            _start_session(current_user._get_current_object())  # the other sessions end
            flash(done, "success")
            return redirect(url_for("accounts.profile"))
    return _profile_page(**{form_key: form}, status=400)


@bp.route("/profile/password", methods=["POST"])
@login_required
def change_password():
    form = PasswordForm()
    return _change_credentials(
        form,
        "password_form",
        lambda user: services.change_password(
            user, current=form.current.data, new=form.password.data
        ),
        _("Your password is changed. Every other session of yours has ended."),
    )


@bp.route("/profile/email", methods=["POST"])
@login_required
def change_email():
    form = EmailForm()
    return _change_credentials(
        form,
        "email_form",
        lambda user: services.change_email(
            user, password=form.email_password.data, email=form.new_email.data
        ),
        _("Your e-mail address is changed. Every other session of yours has ended."),
    )


@bp.route("/profile/tokens", methods=["POST"])
@login_required
def create_token():
    form = TokenForm()
    if form.validate_on_submit():
        with domain_action(catch=ValidationError, flash_error=False) as outcome:
            token, plain = services.create_api_token(
                current_user._get_current_object(), form.token_name.data
            )
        if (error := outcome.error) is not None:
            form.token_name.errors = [error.message]
        else:
            # Shown in this response only: the plain value is never stored or shown again.
            response = _profile_page(new_token={"name": token.name, "value": plain})
            return response[0], 201, {"Cache-Control": "no-store"}
    return _profile_page(token_form=form, status=400)


@bp.route("/profile/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    token = services.revoke_api_token(current_user._get_current_object(), token_id)
    db.session.commit()
    flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("accounts.profile") + "#tokens")


@bp.route("/people/<int:user_id>")
def person(user_id: int):
    user = services.get_user(user_id)
    return render_template(
        "accounts/person.html",
        person=user,
        regions=REGIONS,
        group_history=groups.group_history(user),
        pending_group=groups.pending_request(user),
    )
