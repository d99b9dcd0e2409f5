"""Import every domain's models so that metadata (and so migrations) sees them all."""

from app.accounts.models import ApiToken, GroupChangeRequest, User  # noqa: F401
from app.amendments.models import Amendment, AmendmentComment, ParagraphStatus, Position  # noqa: F401
from app.audit.models import AuditEntry  # noqa: F401
from app.bodies.models import Ballot, BallotChoice, Body, Membership, Nomination, Selection  # noqa: F401
from app.coedit.models import EditLog, LiveText  # noqa: F401
from app.discussion.models import Message, MessageRevision, Topic  # noqa: F401
from app.documents.models import Document, Version, VersionParagraph  # noqa: F401
from app.mail.list_models import ListPost  # noqa: F401
from app.mail.models import DigestRun, MailAddress, MailOptOut, OutboxMail  # noqa: F401
from app.moderation.models import HiddenContent, Report  # noqa: F401
from app.notifications.models import Follow, Notification, NotificationPreference  # noqa: F401
from app.search.models import SearchEntry  # noqa: F401
from app.translations.models import DocumentLanguage, Translation, TranslationRevision  # noqa: F401
