"""Who may do what with funder challenges. Views and templates ask these, never the memberships directly.

Staff users get no special rights here, as in `groups.permissions`: they act through the admin.
"""

from groups.models import Membership
from groups.permissions import can_manage_group, role_in_group

from ..models import Challenge, ChallengeStage, Entry, EntryStatus, FunderMembership, PublishEntries

# Entry statuses that "shortlisted and later" publication shows.
SHORTLISTED_AND_LATER = (EntryStatus.SHORTLISTED, EntryStatus.FINALIST, EntryStatus.WINNER)


def funder_ids(user) -> frozenset[int]:
    """The funders the user belongs to, fetched once per request (cached on the user object)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_funder_ids", None)
    if cached is None:
        cached = user._funder_ids = frozenset(
            FunderMembership.objects.filter(user=user).values_list("funder_id", flat=True)
        )
    return cached


def is_funder_member(user, funder) -> bool:
    return funder.pk in funder_ids(user)


def can_create_challenge(user) -> bool:
    """Members of any funder may start a challenge for it."""
    return bool(funder_ids(user))


def can_manage_challenge(user, challenge: Challenge) -> bool:
    """The funder's members edit the challenge, move its stages, see drafts, entries, scores and notes."""
    return challenge.funder_id in funder_ids(user)


def can_see_challenge(user, challenge: Challenge) -> bool:
    """Drafts are for the funder's members only."""
    return challenge.stage != ChallengeStage.DRAFT or can_manage_challenge(user, challenge)


def can_review(user, challenge: Challenge) -> bool:
    return can_manage_challenge(user, challenge)


def can_record_award(user, challenge: Challenge) -> bool:
    """The funder's members record what it awarded to entries, and change or remove it. Whether an entry
    may get an award now (its status, the challenge's stage) is the service's rule."""
    return can_manage_challenge(user, challenge)


def can_enter_for_group(user, group) -> bool:
    """A group's owners and organisers enter (and edit) its entries."""
    return can_manage_group(user, group)


def is_entry_public(entry: Entry, challenge: Challenge) -> bool:
    if challenge.stage == ChallengeStage.DRAFT:
        return False
    if challenge.publish_entries == PublishEntries.ALL:
        return True
    return entry.status in SHORTLISTED_AND_LATER


def can_see_entry(user, entry: Entry) -> bool:
    """The funder and the entering group always; everyone once the entry is published."""
    challenge = entry.challenge
    if can_manage_challenge(user, challenge):
        return True
    if role_in_group(user, entry.solution.group) is not None:
        return True
    return can_see_challenge(user, challenge) and is_entry_public(entry, challenge)


def can_edit_entry(user, entry: Entry) -> bool:
    """Who may edit; whether it is still allowed (the deadline) is the service's rule."""
    return can_enter_for_group(user, entry.solution.group)


def can_see_dashboard(user, challenge: Challenge) -> bool:
    if can_manage_challenge(user, challenge):
        return True
    return challenge.dashboard_public and challenge.stage != ChallengeStage.DRAFT


def managed_group_ids(user) -> list[int]:
    """Groups whose entries the user may make, for the challenge page's "enter" links."""
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=user, role__in=("owner", "organiser")).values_list("group_id", flat=True)
    )
