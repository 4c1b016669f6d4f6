"""Changes to groups, their members and invitations. Views, the admin's actions and tasks call these."""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.mail import Mail, languages_of, send_once
from core.posting import check_post
from core.refusals import Refused, StaleEdit

from . import gazetteer
from .models import Group, Invitation, Membership, Role
from .signals import announce_group_context_changed

INVITATION_LIFETIME = dt.timedelta(days=7)
# First path segments under /groups/ that are pages, not groups: a group may not take them as its slug.
RESERVED_SLUGS = {"new", "invitations", "map", "search", "near", "feed", "me", "unsubscribe"}
GROUP_FIELDS = (
    "name",
    "summary",
    "language",
    "name_cy",
    "summary_cy",
    "description",
    "place_name",
    "postcode_district",
    "area_kind",
    "population",
    "deprivation_decile",
    "region",
)
# What people write about a group: checked by `core.posting` (suspension, links).
GROUP_TEXT_FIELDS = ("name", "summary", "name_cy", "summary_cy", "description", "place_name")


class InvitationProblem(Refused):
    """An invitation that cannot be accepted, with the HTTP status the view answers with."""


class InvitationExpired(InvitationProblem):
    status = 410


class InvitationUsed(InvitationProblem):
    status = 410


class InvitationWrongAccount(InvitationProblem):
    status = 403


# --- Groups ---------------------------------------------------------------------------------------


def place_not_found_message(place_name: str) -> str:
    return _("We could not find “%(place)s”. Try the nearest town or your postcode district, e.g. OX7.") % {
        "place": place_name
    }


def ensure_known_district(postcode_district: str) -> None:
    """Refuse a postcode district no postcode starts with ("ZZ99"), on the field it was typed in:
    accepted, it silently placed the group or action by its place name instead."""
    if postcode_district and gazetteer.resolve_place(postcode_district) is None:
        raise ValidationError(
            {
                "postcode_district": _(
                    "We do not know the postcode district %(district)s. Check it "
                    "(for example OX7 or LA9), or leave it empty and we will use the place name."
                )
                % {"district": postcode_district}
            },
            code="unknown_district",
        )


def resolve_group_place(*, place_name: str, postcode_district: str) -> gazetteer.Place:
    """Where a group is: from its postcode district if we know it, else from its place name.

    Raises ValidationError on `place_name` if neither resolves.
    """
    ensure_known_district(postcode_district)
    for query in (postcode_district, place_name):
        place = gazetteer.resolve_place(query) if query else None
        if place is not None:
            return place
    raise ValidationError({"place_name": place_not_found_message(place_name)}, code="unknown_place")


def normalise_district(value: str) -> str:
    """ "ox7 5qh" → "OX7"; text not shaped like a postcode is kept (stripped) for full_clean to judge."""
    value = (value or "").strip()
    return gazetteer.postcode_district(value) or value


def unique_group_slug(name: str) -> str:
    """A slug made from the name, not used by another group nor by one of our pages."""
    base = slugify(name)[:120].strip("-") or "group"
    taken = set(Group.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def create_group(
    *,
    creator,
    name: str,
    summary: str,
    description: str,
    place_name: str,
    postcode_district: str,
    area_kind: str,
    population: int,
    deprivation_decile: int,
    region: str,
    challenge_areas,
    logo: ContentFile | None = None,
    language: str = settings.LANGUAGE_CODE,
    name_cy: str = "",
    summary_cy: str = "",
) -> Group:
    """Create a group located by the gazetteer, with `creator` as its owner.

    `logo` must already be cleaned by `groups.images.process_image` (the form does it, so its errors
    show on the field). Raises ValidationError (on `place_name` when the place is unknown), or
    PostingRefused if `creator` is suspended or the text has too many links; then nothing is saved.
    """
    check_post(
        user=creator,
        kind="group",
        content={
            "name": name,
            "summary": summary,
            "name_cy": name_cy,
            "summary_cy": summary_cy,
            "description": description,
            "place_name": place_name,
        },
    )
    postcode_district = normalise_district(postcode_district)
    place = resolve_group_place(place_name=place_name, postcode_district=postcode_district)
    group = Group(
        name=name.strip(),
        summary=summary.strip(),
        description=description.strip(),
        place_name=place_name.strip(),
        postcode_district=postcode_district,
        latitude=place.latitude,
        longitude=place.longitude,
        area_kind=area_kind,
        population=population,
        deprivation_decile=deprivation_decile,
        region=region,
        language=language,
        name_cy=name_cy.strip(),
        summary_cy=summary_cy.strip(),
    )
    # The slug is checked by the database (unique index), not by full_clean, so a race is retried here.
    group.full_clean(exclude=["slug"])
    if logo:
        group.logo.save(logo.name, logo, save=False)
    for _attempt in range(5):
        group.slug = unique_group_slug(group.name)
        try:
            with transaction.atomic():
                group.save()
                group.challenge_areas.set(challenge_areas)
                Membership.objects.create(group=group, user=creator, role=Role.OWNER)
                announce_group_context_changed(group.pk)
        except IntegrityError:
            group.pk = None
            if not Group.objects.filter(slug=group.slug).exists():
                raise
            # Another group took the same slug between our check and our insert: pick again.
            continue
        return group
    raise IntegrityError(f"Could not find a free slug for {group.name!r}.")


def update_group(
    *,
    group: Group,
    based_on_version: int,
    challenge_areas,
    logo: ContentFile | None | bool = None,
    by=None,
    **fields,
) -> Group:
    """Save an edit made to version `based_on_version` of the group, and bump its version.

    If the group has been saved since (its version moved on), nothing changes and StaleEdit is
    raised with the current group. The version is claimed with a conditional UPDATE inside the
    transaction, so of two edits based on the same version exactly one wins, on any database.
    `logo`: None keeps the current logo, False removes it, a (processed) file replaces it.
    Raises ValidationError for invalid values or an unknown place, and PostingRefused if `by` (the
    person editing; None only for writes no person makes through the site) is suspended or the text
    has too many links.
    """
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"update_group() got unexpected fields: {', '.join(sorted(unknown))}")
    fields = {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}
    if by is not None:
        check_post(
            user=by, kind="group", content={name: fields.get(name, getattr(group, name)) for name in GROUP_TEXT_FIELDS}
        )
    if "postcode_district" in fields:
        fields["postcode_district"] = normalise_district(fields["postcode_district"])
    # Resolved before the transaction: the first lookup may load the gazetteer (a couple of seconds).
    place = resolve_group_place(
        place_name=fields.get("place_name", group.place_name),
        postcode_district=fields.get("postcode_district", group.postcode_district),
    )
    with transaction.atomic():
        claimed = Group.objects.filter(pk=group.pk, version=based_on_version).update(version=F("version") + 1)
        if not claimed:
            raise StaleEdit(
                _("Someone else changed this group while you were editing."), current=group_as_saved(group_id=group.pk)
            )
        # Read after the claim, so fields this form does not cover (changed in the admin, say) are kept.
        edited = Group.objects.select_for_update().get(pk=group.pk)
        for name, value in fields.items():
            setattr(edited, name, value)
        edited.latitude, edited.longitude = place.latitude, place.longitude
        # A ValidationError here rolls the version claim back with everything else.
        edited.full_clean()
        if logo is False:
            edited.logo = ""
        elif logo:
            edited.logo.save(logo.name, logo, save=False)
        edited.save()
        edited.challenge_areas.set(challenge_areas)
        announce_group_context_changed(edited.pk)
    return edited


def group_as_saved(*, group_id: int) -> Group:
    return Group.objects.prefetch_related("challenge_areas").get(pk=group_id)


# --- Members --------------------------------------------------------------------------------------


def _locked_memberships(group: Group) -> dict[int, Membership]:
    """Lock the group row and all its memberships for this transaction; user id → membership.

    Two requests changing the same group's owners queue here (on PostgreSQL), so the second one
    sees what the first did.
    """
    Group.objects.select_for_update().filter(pk=group.pk).first()
    return {m.user_id: m for m in Membership.objects.select_for_update().filter(group=group)}


def _check_an_owner_remains(group: Group, message: str) -> None:
    # Checked again after the change, inside the transaction: if it fails, the change is rolled back.
    if not Membership.objects.filter(group=group, role=Role.OWNER).exists():
        raise ValidationError(message, code="last_owner")


LAST_OWNER_REMOVE = gettext_lazy("A group must always have an owner. Hand over ownership to someone else first.")


def remove_member(*, group: Group, user) -> None:
    """Take `user` out of the group. Refused (ValidationError) if they are its last owner."""
    with transaction.atomic():
        memberships = _locked_memberships(group)
        membership = memberships.get(user.pk)
        if membership is None:
            raise ValidationError(_("This person is not a member of the group."), code="not_member")
        owners = [m for m in memberships.values() if m.role == Role.OWNER]
        if membership.role == Role.OWNER and len(owners) <= 1:
            raise ValidationError(LAST_OWNER_REMOVE, code="last_owner")
        membership.delete()
        _check_an_owner_remains(group, LAST_OWNER_REMOVE)


def leave_group(*, group: Group, user) -> None:
    """`user` leaves the group. A sole owner must hand over ownership first (ValidationError)."""
    try:
        remove_member(group=group, user=user)
    except ValidationError as error:
        if error.code == "last_owner":
            raise ValidationError(
                _(
                    "You are this group's only owner, so you cannot leave yet. "
                    "Hand over ownership to another member first."
                ),
                code="last_owner",
            ) from error
        raise


def change_role(*, group: Group, user, role: str) -> Membership:
    """Make a member an organiser or an organiser a member.

    Ownership moves only with `transfer_ownership`; demoting the last owner is refused (ValidationError).
    """
    if role not in (Role.ORGANISER, Role.MEMBER):
        raise ValidationError(_("A member can be made an organiser or a member."), code="bad_role")
    with transaction.atomic():
        memberships = _locked_memberships(group)
        membership = memberships.get(user.pk)
        if membership is None:
            raise ValidationError(_("This person is not a member of the group."), code="not_member")
        owners = [m for m in memberships.values() if m.role == Role.OWNER]
        if membership.role == Role.OWNER and len(owners) <= 1:
            raise ValidationError(
                _("A group must always have an owner. Hand over ownership before changing this role."),
                code="last_owner",
            )
        membership.role = role
        membership.save(update_fields=["role"])
        _check_an_owner_remains(group, LAST_OWNER_REMOVE)
    return membership


def transfer_ownership(*, group: Group, from_user, to_user) -> Membership:
    """Hand the group over: `to_user` (already a member) becomes owner, `from_user` an organiser."""
    if from_user.pk == to_user.pk:
        raise ValidationError(_("You already own this group."), code="same_user")
    with transaction.atomic():
        memberships = _locked_memberships(group)
        giver, receiver = memberships.get(from_user.pk), memberships.get(to_user.pk)
        if giver is None or giver.role != Role.OWNER:
            raise ValidationError(_("Only an owner can hand over ownership."), code="not_owner")
        if receiver is None:
            raise ValidationError(_("Ownership can only go to a member of the group."), code="not_member")
        receiver.role = Role.OWNER
        receiver.save(update_fields=["role"])
        giver.role = Role.ORGANISER
        giver.save(update_fields=["role"])
    return receiver


# --- Invitations ----------------------------------------------------------------------------------


def invite_organiser(*, group: Group, email: str, invited_by) -> Invitation:
    """Invite `email` to become an organiser; the mail is sent by a task after commit.

    Earlier pending invitations to the same address for this group stop working, so only the
    newest link is valid. Refused (ValidationError on `email`) if that person already runs the group.
    """
    email = email.strip()
    already = Membership.objects.filter(
        group=group, user__email__iexact=email, role__in=(Role.OWNER, Role.ORGANISER)
    ).exists()
    if already:
        raise ValidationError({"email": _("This person is already an organiser or owner of the group.")})
    now = timezone.now()
    invitation = Invitation(
        group=group,
        email=email,
        role=Role.ORGANISER,
        token=secrets.token_urlsafe(32),
        invited_by=invited_by,
        expires_at=now + INVITATION_LIFETIME,
        # Written to in the language of the page it was sent from, unless they have an account.
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    invitation.full_clean()
    with transaction.atomic():
        Invitation.objects.filter(
            group=group, email__iexact=email, accepted_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        invitation.save()
        from .tasks import send_invitation_email

        transaction.on_commit(lambda: send_invitation_email.delay(invitation.pk))
    return invitation


def send_invitation_email(*, invitation_id: int) -> bool:
    """Send the invitation mail once. Returns True if this call sent it.

    The row is claimed first (`core.mail.send_once`, on `sent_at`), so two deliveries of the task cannot
    both send; if sending fails the claim is released and the error propagates, so the task is retried.
    Accepted or expired invitations are not sent.
    """
    still_open = Q(accepted_at__isnull=True, expires_at__gt=timezone.now())
    invitations = Invitation.objects.filter(pk=invitation_id)
    return send_once(invitations, field="sent_at", only_if=still_open, compose=lambda: _invitation(invitation_id)) > 0


def _invitation(invitation_id: int) -> Mail:
    invitation = Invitation.objects.select_related("group", "invited_by").get(pk=invitation_id)
    # Someone with an account reads it in their language; a newcomer in the language it was sent in.
    language = languages_of([invitation.email], default=invitation.language)[invitation.email]
    with translation.override(language):
        return _invitation_in_language(invitation)


def _invitation_in_language(invitation: Invitation) -> Mail:
    context = {
        "invitation": invitation,
        "group": invitation.group,
        "accept_url": settings.SITE_URL + reverse("groups:accept_invitation", kwargs={"token": invitation.token}),
    }
    return Mail(
        subject=_("You are invited to help run %(group)s") % {"group": invitation.group.name},
        body=render_to_string("emails/group_invitation.txt", context),
        to=[invitation.email],
    )


def check_invitation_open(*, invitation: Invitation) -> None:
    """Raise InvitationUsed or InvitationExpired if nobody can accept `invitation` any more."""
    if invitation.accepted_at is not None:
        raise InvitationUsed(
            _("This invitation has already been used. Ask the group's owner for a new one if you need it.")
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationExpired(_("This invitation has expired; ask the group's owner for a new one."))


def check_invitation(*, invitation: Invitation, user) -> None:
    """Raise the InvitationProblem that stops `user` accepting `invitation`, if any."""
    from allauth.account.models import EmailAddress

    check_invitation_open(invitation=invitation)
    if not EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists():
        raise InvitationWrongAccount(
            # Translators: the invited address, then the address of the account signed in.
            _(
                "This invitation was sent to %(invited)s, but you are signed in as %(yours)s. "
                "Sign in with the invited address (or add and verify it in your account), "
                "or ask the group's owner to invite the address you use here."
            )
            % {"invited": invitation.email, "yours": user.email}
        )


def accept_invitation(*, token: str, user) -> Membership:
    """Make `user` an organiser of the invitation's group (an owner stays owner).

    Raises Invitation.DoesNotExist for an unknown token, and an InvitationProblem if it is used,
    expired, or for another email address (the user must have verified that address).
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("group").get(token=token)
        check_invitation(invitation=invitation, user=user)
        claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now(), accepted_by=user
        )
        if not claimed:
            raise InvitationUsed(_("This invitation has already been used."))
        membership, created = Membership.objects.get_or_create(
            group=invitation.group, user=user, defaults={"role": invitation.role}
        )
        if not created and membership.role == Role.MEMBER:
            membership.role = invitation.role
            membership.save(update_fields=["role"])
    return membership
