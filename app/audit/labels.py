"""What each audit action is called for people; the code stays in the API and the filter."""

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "amendment.accepted": _l("Amendment accepted"),
    "amendment.rejected": _l("Amendment rejected"),
    "amendment.withdrawn": _l("Amendment withdrawn"),
    "amendment.conflict": _l("Amendment in conflict"),
    "amendment.rebase_requested": _l("Rebase of an amendment requested"),
    "amendment.superseded": _l("Amendment superseded"),
    "membership.added": _l("Member added"),
    "membership.approved": _l("Membership approved"),
    "membership.declined": _l("Membership declined"),
    "membership.joined": _l("Member joined"),
    "membership.left": _l("Member left"),
    "membership.removed": _l("Member removed"),
    "membership.requested": _l("Membership requested"),
    "membership.role": _l("Member's role changed"),
    "selection.opened": _l("Selection opened"),
    "selection.closed": _l("Selection closed"),
    "selection.cancelled": _l("Selection cancelled"),
    "profile.changed": _l("Profile changed"),
    "group.requested": _l("Stakeholder group change requested"),
    "group.confirmed": _l("Stakeholder group change confirmed"),
    "group.refused": _l("Stakeholder group change refused"),
    "verification.granted": _l("Verification granted"),
    "verification.revoked": _l("Verification revoked"),
    "report.filed": _l("Report filed"),
    "report.hidden": _l("Report resolved: content hidden"),
    "report.dismissed": _l("Report dismissed"),
    "moderation.hidden": _l("Content hidden by moderation"),
}


def action_label(action: str) -> str:
    """The action's translated name; an action without one is shown as its code."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
