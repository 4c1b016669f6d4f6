"""Who may moderate. Views and templates ask these.

Site moderators (`User.is_moderator`) and staff moderate everything; a funder's members moderate the
entries to the funder's own challenges.
"""

from challenges.funding.permissions import funder_ids


def can_moderate_everything(user) -> bool:
    return user.is_authenticated and user.can_moderate


def can_use_queue(user) -> bool:
    """Moderators, and funders (who see only the entries to their challenges)."""
    return can_moderate_everything(user) or bool(funder_ids(user))


def can_moderate_case(user, case) -> bool:
    if not user.is_authenticated:
        return False
    return user.can_moderate or (case.funder_id is not None and case.funder_id in funder_ids(user))


def can_suspend(user) -> bool:
    return can_moderate_everything(user)
