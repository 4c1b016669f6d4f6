"""What challenges holds about a person: parts of their data export, and its part of erasing their account
(see `core.personal_data`).

The updates they wrote are copied in full; solutions, groups, funders and challenges are only named.
One query per part (the updates' pictures come with one more, however many updates there are).
"""

from django.conf import settings
from django.db.models import Prefetch

from core import personal_data
from core.personal_data import Person

from .models import Award, Challenge, Entry, FunderMembership, Score, StageChange, Update, UpdateImage


@personal_data.part("updates_you_wrote", covers=["challenges.Update.author"])
def updates_you_wrote(person: Person) -> list[dict]:
    updates = (
        Update.objects.filter(author=person.user)
        .select_related("solution__group")
        .prefetch_related(Prefetch("images", queryset=UpdateImage.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )
    return [
        {
            "title": u.title,
            "solution": u.solution.title,
            "group": u.solution.group.name,
            "url": settings.SITE_URL + u.get_absolute_url(),
            "status": u.status,
            "body": u.body,
            "what_worked": u.what_worked,
            "what_didnt": u.what_didnt,
            "do_differently": u.do_differently,
            "images": [{"description": image.alt_text, "file": image.image.name} for image in u.images.all()],
            "published_at": u.published_at,
            "created_at": u.created_at,
            "updated_at": u.updated_at,
            "hidden_by_moderators_at": u.hidden_at,
        }
        for u in updates
    ]


@personal_data.part("funder_memberships", covers=["challenges.FunderMembership.user"])
def funder_memberships(person: Person) -> list[dict]:
    memberships = (
        FunderMembership.objects.filter(user=person.user).select_related("funder").order_by("created_at", "pk")
    )
    return [{"funder": m.funder.name, "since": m.created_at} for m in memberships]


@personal_data.part("challenges_you_created", covers=["challenges.Challenge.created_by"])
def challenges_you_created(person: Person) -> list[dict]:
    challenges = Challenge.objects.filter(created_by=person.user).select_related("funder").order_by("created_at", "pk")
    return [{"title": c.title, "funder": c.funder.name, "created_at": c.created_at} for c in challenges]


@personal_data.part("challenge_stage_changes_you_made", covers=["challenges.StageChange.changed_by"])
def challenge_stage_changes_you_made(person: Person) -> list[dict]:
    changes = (
        StageChange.objects.filter(changed_by=person.user).select_related("challenge").order_by("changed_at", "pk")
    )
    return [
        {"challenge": c.challenge.title, "from": c.from_stage, "to": c.to_stage, "changed_at": c.changed_at}
        for c in changes
    ]


@personal_data.part("challenge_entries_you_made", covers=["challenges.Entry.entered_by"])
def challenge_entries_you_made(person: Person) -> list[dict]:
    entries = Entry.objects.filter(entered_by=person.user).select_related("challenge", "solution__group").order_by("pk")
    return [
        {
            "challenge": e.challenge.title,
            "solution": e.solution.title,
            "group": e.solution.group.name,
            "status": e.status,
            "entered_at": e.created_at,
        }
        for e in entries
    ]


@personal_data.part("review_scores_you_gave", covers=["challenges.Score.reviewer"])
def review_scores_you_gave(person: Person) -> list[dict]:
    scores = (
        Score.objects.filter(reviewer=person.user)
        .select_related("entry__challenge", "entry__solution__group", "criterion")
        .order_by("pk")
    )
    return [
        {
            "challenge": s.entry.challenge.title,
            "solution": s.entry.solution.title,
            "group": s.entry.solution.group.name,
            "criterion": s.criterion.name,
            "score": s.value,
            "note": s.note,
            "updated_at": s.updated_at,
        }
        for s in scores
    ]


@personal_data.part("awards_you_recorded", covers=["challenges.Award.created_by"])
def awards_you_recorded(person: Person) -> list[dict]:
    awards = (
        Award.objects.filter(created_by=person.user)
        .select_related("entry__challenge", "entry__solution__group")
        .order_by("created_at", "pk")
    )
    return [
        {
            "challenge": a.entry.challenge.title,
            "group": a.entry.solution.group.name,
            "title": a.title,
            "amount": a.amount,
            "currency": a.currency,
            "awarded_on": a.awarded_on,
            "recorded_at": a.created_at,
        }
        for a in awards
    ]


# --- Erasure: what deleting an account removes here, and what it keeps ---------------------------------

personal_data.kept(
    {
        "challenges.Update.author": "an update is the group's story of its solution; it stays, by “Former member”",
        "challenges.Challenge.created_by": "a challenge is the funder's; it stays, created by “Former member”",
        "challenges.StageChange.changed_by": "the record of a challenge's stages, which the funder and entrants rely on",
        "challenges.Entry.entered_by": "an entry is the group's, and stays in the challenge it was entered for",
        "challenges.Award.created_by": "an award is the funder's public record of a grant; it stays, with no name",
        "challenges.Score.reviewer": (
            "a review score, with its note text, is part of how the funder decided; it stays, by “Former member”"
        ),
    }
)


@personal_data.eraser(
    "funder_memberships", covers=["challenges.FunderMembership.user", "challenges.Funder.members"], order=70
)
def forget_funder_memberships(person: Person) -> None:
    # Funder.members is the same rows, through FunderMembership.
    FunderMembership.objects.filter(user=person.user).delete()
