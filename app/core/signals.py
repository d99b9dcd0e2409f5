"""Signals by which domains learn of each other's changes without reaching into each other.

Every signal is sent inside the transaction, after flush: receivers may add rows (audit
entries, notifications) but never commit, emit to sockets or send mail directly; mail is
queued and sent after the commit by its own worker.

The acting person is passed as `actor` where the domain function knows it (None for the
system, e.g. a scheduled close).
"""

from blinker import Namespace

_signals = Namespace()

# sender: the Document; kwargs: version (new Version), previous (the Version before, or None).
version_created = _signals.signal("version-created")

# --- amendments ----------------------------------------------------------------------------
# sender: the Amendment; kwargs: actor.
amendment_proposed = _signals.signal("amendment-proposed")
# sender: the Amendment; kwargs: actor, decision ("accepted", "rejected", "withdrawn",
# "conflict", "superseded", "rebase_requested"), reason (str, may be ""), before (old status),
# version (the new Version when accepted, else None).
amendment_decided = _signals.signal("amendment-decided")
# sender: the Amendment; kwargs: actor (the proposer), revision (new revision number).
amendment_rebased = _signals.signal("amendment-rebased")
# sender: the Amendment; kwargs: actor, stance ("support", "oppose", "abstain" or None when
# withdrawn), group (the group the position counts for).
position_taken = _signals.signal("position-taken")
# sender: the AmendmentComment; kwargs: actor, amendment.
amendment_commented = _signals.signal("amendment-commented")

# --- discussion ----------------------------------------------------------------------------
# sender: the Message (first message of a topic or a reply); kwargs: actor, topic, parent
# (the Message answered, or None for a new topic).
message_posted = _signals.signal("message-posted")

# --- bodies --------------------------------------------------------------------------------
# sender: the Membership; kwargs: actor, change ("requested", "joined", "approved",
# "declined", "left", "added", "removed", "role"), before (dict or None), after (dict or
# None): {"status", "role"}.
membership_changed = _signals.signal("membership-changed")
# sender: the Selection; kwargs: actor, change ("opened", "closed", "cancelled"), result
# (the close result dict when closed, else None).
selection_changed = _signals.signal("selection-changed")

# --- accounts ------------------------------------------------------------------------------
# sender: the User; kwargs: actor, fields (names of the changed profile fields), before
# (dict), after (dict).
profile_changed = _signals.signal("profile-changed")
# sender: the User; kwargs: what ("password" or "email"). Every other session of the user
# and every open socket of theirs ends.
credentials_changed = _signals.signal("credentials-changed")
# sender: the User who already owns the address; someone tried to register with it. The
# owner is told by mail instead of the form revealing that the address is taken.
registration_for_taken_email = _signals.signal("registration-for-taken-email")

# --- trust: groups, verification, moderation -------------------------------------------------
# sender: the GroupChangeRequest; kwargs: actor (the person asking).
group_change_requested = _signals.signal("group-change-requested")
# sender: the GroupChangeRequest; kwargs: actor, decision ("confirmed" or "refused"),
# before ({"group"}), after ({"group"}).
group_change_decided = _signals.signal("group-change-decided")
# sender: the User verified (or no longer verified); kwargs: actor, verified (bool), group.
verification_changed = _signals.signal("verification-changed")
# sender: the Report; kwargs: actor (the reporter).
report_filed = _signals.signal("report-filed")
# sender: the Report; kwargs: actor (the moderator), outcome ("hidden" or "dismissed"),
# reason (the moderator's public reason). The reporter is to be told the outcome.
report_resolved = _signals.signal("report-resolved")
# sender: the HiddenContent row; kwargs: actor (the moderator), report (the Report acted on).
content_hidden = _signals.signal("content-hidden")

# --- appended by mail and notifications ------------------------------------------------------
# sender: the Document; kwargs: actor, opened (True when the amendment period opens, False
# when it closes).
amendment_period_changed = _signals.signal("amendment-period-changed")
# sender: the User who just registered; kwargs: verified (True when the address is taken as
# verified, e.g. accounts made by `flask users create`). Mail queues the verification link.
user_registered = _signals.signal("user-registered")

# --- appended for search: content changes the other signals do not cover ----------------------
# sender: the Body; kwargs: actor (None when seeded), created (True for a new body).
body_changed = _signals.signal("body-changed")
# sender: the Message whose text an author edited; kwargs: actor.
message_edited = _signals.signal("message-edited")
# sender: the Translation saved (new or changed text); kwargs: actor.
translation_saved = _signals.signal("translation-saved")
