"""Notification mail: one message now, or a digest of a day's or a week's notifications."""

from datetime import timedelta
from html import escape

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.accounts.models import User
from app.core.timeutil import utcnow
from app.extensions import db
from app.mail.addresses import reply_address, site_url, unsubscribe_url
from app.mail.language import html_document, in_language_of, language_of
from app.mail.optouts import provide_list_mail_off
from app.mail.outbox import mailable, new_message_id, queue_mail
from app.mail.unsubscribe import unsubscribe_handler
from app.notifications.messages import text_of, title_of
from app.notifications.models import Follow, Notification, NotificationPreference


def _footer(link: str, unsubscribe: str | None) -> tuple[str, str]:
    """The links under a notification or digest, in the current (the recipient's) language."""
    preferences = site_url("/notifications/preferences")
    opened, change, stop = _("Open"), _("Change what you receive"), _("Stop mail about this")
    text = f"\n\n-- \n{opened}: {link}\n{change}: {preferences}\n"
    html = (
        f'<p><a href="{escape(link)}">{escape(opened)}</a> · '
        f'<a href="{escape(preferences)}">{escape(change)}</a>'
    )
    if unsubscribe:
        text += f"{stop}: {unsubscribe}\n"
        html += f' · <a href="{escape(unsubscribe)}">{escape(stop)}</a>'
    return text, html + "</p>"


def mail_notification(row: Notification, *, reply_target: str | None = None) -> None:
    """Queue the mail of one notification, with a signed Reply-To where replying posts."""
    user = db.session.get(User, row.user_id)
    if not mailable(user):
        return
    link = site_url(row.url)
    unsubscribe = unsubscribe_url(user.id, f"follow:{row.follow_id}") if row.follow_id else None
    headers = {"X-Agora-Kind": row.kind, "Precedence": "bulk"}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if reply_target:
        headers["Reply-To"] = reply_address(user.id, reply_target)
    with in_language_of(user):
        title, body = title_of(row), text_of(row)
        foot_text, foot_html = _footer(link, unsubscribe)
    queue_mail(
        to=user.email,
        user_id=user.id,
        subject=title,
        text=f"{title}\n\n{body}{foot_text}",
        html=html_document(
            f"<p><strong>{escape(title)}</strong></p><p>{escape(body)}</p>{foot_html}",
            language_of(user),
            sanitized=True,
        ),
        sanitized=True,
        headers=headers,
        message_id=new_message_id(f"n{row.id}"),
        kind=f"notification:{row.kind}"[:32],
    )
    row.mailed_at = utcnow()


PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


def queue_digests(period: str) -> int:
    """Queue one digest per person with unmailed notifications of this period; answer how many."""
    rows = list(
        db.session.scalars(
            select(Notification)
            .where(Notification.mail_mode == period, Notification.mailed_at.is_(None))
            .order_by(Notification.user_id, Notification.id)
        )
    )
    by_user: dict[int, list[Notification]] = {}
    for row in rows:
        by_user.setdefault(row.user_id, []).append(row)
    now = utcnow()
    queued = 0
    for user_id, items in by_user.items():
        user = db.session.get(User, user_id)
        if mailable(user):
            _queue_digest(user, period, items)
            queued += 1
        for row in items:
            row.mailed_at = now
    db.session.flush()
    return queued


def _queue_digest(user: User, period: str, items: list[Notification]) -> None:
    with in_language_of(user):
        if period == "daily":
            title = ngettext(
                "Your daily digest: %(num)d notification",
                "Your daily digest: %(num)d notifications",
                len(items),
            )
        else:
            title = ngettext(
                "Your weekly digest: %(num)d notification",
                "Your weekly digest: %(num)d notifications",
                len(items),
            )
        titles = [(title_of(row), site_url(row.url)) for row in items]
        foot_text, foot_html = _footer(site_url("/notifications"), None)
    text = "\n".join(f"* {name}\n  {link}" for name, link in titles)
    html = "<ul>" + "".join(
        f'<li><a href="{escape(link)}">{escape(name)}</a></li>' for name, link in titles
    )
    queue_mail(
        to=user.email,
        user_id=user.id,
        subject=title,
        text=f"{title}\n\n{text}{foot_text}",
        html=html_document(
            f"<p>{escape(title)}</p>{html}</ul>{foot_html}", language_of(user), sanitized=True
        ),
        sanitized=True,
        headers={"X-Agora-Kind": f"digest-{period}", "Precedence": "bulk"},
        message_id=new_message_id(f"digest-{period}-u{user.id}"),
        kind=f"digest:{period}",
    )


def due_periods(last_runs: dict[str, object]) -> list[str]:
    """The digest periods whose last run is older than the period (or that never ran)."""
    now = utcnow()
    return [
        p for p, span in PERIODS.items() if last_runs.get(p) is None or now - last_runs[p] >= span
    ]


# --- what mail asks of the notification preferences -----------------------------------------


def list_mail_off():
    """The ids of the people who turned list mail off (no preference row: it is on)."""
    return select(NotificationPreference.user_id.label("user_id")).where(
        NotificationPreference.list_mail.is_(False)
    )


provide_list_mail_off(list_mail_off)


@unsubscribe_handler("follow")
def mute_follow(user_id: int, follow_id: int) -> str:
    """One-click unsubscribe from a follow's mail: it still shows in the notifications."""
    follow = db.session.get(Follow, follow_id)
    if follow is not None and follow.user_id == user_id:
        follow.mail_muted = True
        db.session.flush()
    return _("You will no longer receive mail about this; it still shows in your notifications.")
