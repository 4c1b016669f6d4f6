"""Views that change a group: create, edit, members and invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.confirm import confirm_page, confirmed
from core.forms import add_service_error, edit_conflict
from core.refusals import StaleEdit, refusal_status

from .. import permissions, selectors, services
from ..forms import GroupEditForm, GroupForm, InvitationForm, RoleForm, group_initial
from ..models import Group, Membership, Role

NOT_VERIFIED = gettext_lazy(
    "Please verify your email address before starting a group: follow the link in the mail we sent you."
)
NOT_MANAGER = gettext_lazy("Only this group's owners and organisers can do this.")
NOT_OWNER = gettext_lazy("Only this group's owners can do this.")
STALE_EDIT = gettext_lazy(
    "Someone else changed this group while you were editing. Your changes have not been saved; "
    "your text is below — compare with the current version and save again."
)


def _group_values(form) -> dict:
    values = {field: form.cleaned_data[field] for field in services.GROUP_FIELDS}
    values["challenge_areas"] = form.cleaned_data["challenge_areas"]
    return values


@login_required
def group_create(request):
    if not permissions.can_create_group(request.user):
        raise PermissionDenied(NOT_VERIFIED)
    if request.method != "POST":
        return render(request, "groups/group_form.html", {"form": GroupForm(), "creating": True})
    form = GroupForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            group = services.create_group(creator=request.user, logo=form.cleaned_data["logo"], **_group_values(form))
        except ValidationError as error:
            add_service_error(form, error)
            status = refusal_status(error)
        else:
            messages.success(
                request, _("Your group “%(group)s” is on Localism. You are its owner.") % {"group": group.name}
            )
            return redirect(group)
    return render(request, "groups/group_form.html", {"form": form, "creating": True}, status=status)


@login_required
def group_edit(request, slug):
    group = get_object_or_404(Group.objects.prefetch_related("challenge_areas"), slug=slug)
    if not permissions.can_edit_group(request.user, group):
        raise PermissionDenied(NOT_MANAGER)
    context = {"group": group, "creating": False}
    if request.method != "POST":
        context["form"] = GroupEditForm(initial=group_initial(group))
        return render(request, "groups/group_form.html", context)
    form = GroupEditForm(request.POST, request.FILES, initial={"logo": group.logo or None})
    status = 400
    if form.is_valid():
        try:
            services.update_group(
                group=group,
                based_on_version=form.cleaned_data["version"],
                logo=form.cleaned_data["logo"],
                by=request.user,
                **_group_values(form),
            )
        except StaleEdit as stale:
            # Keep what they typed, but based on the version now saved, so saving again is a choice they make;
            # each field that differs from the saved version shows it.
            data = request.POST.copy()
            data["version"] = str(stale.current.version)
            message = str(STALE_EDIT)
            if request.FILES.get("logo"):
                message += " " + _("Choose your logo file again if you want to change it.")
            form = GroupEditForm(data, initial=group_initial(stale.current))
            context.update(form=form, conflict=edit_conflict(message, form))
            return render(request, "groups/group_form.html", context, status=409)
        except ValidationError as error:
            add_service_error(form, error)
            status = refusal_status(error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(group)
    context["form"] = form
    return render(request, "groups/group_form.html", context, status=status)


def _members_page(request, group, *, invite_form=None, status=200):
    return render(
        request,
        "groups/group_members.html",
        {
            "group": group,
            "memberships": selectors.group_memberships(group=group),
            "invitations": selectors.pending_invitations(group=group),
            "invite_form": invite_form or InvitationForm(),
            "can_change_members": permissions.can_change_members(request.user, group),
            "can_invite": permissions.can_invite(request.user, group),
        },
        status=status,
    )


def _refused(request, group, error: ValidationError):
    """A membership change the rules do not allow: the members page again, with the reason."""
    messages.error(request, " ".join(error.messages))
    if permissions.can_see_members(request.user, group):
        return _members_page(request, group, status=409)
    return redirect(group)


def _managed_group(request, slug, allowed, reason):
    group = get_object_or_404(Group, slug=slug)
    if not allowed(request.user, group):
        raise PermissionDenied(reason)
    return group


@login_required
def group_members(request, slug):
    group = _managed_group(request, slug, permissions.can_see_members, NOT_MANAGER)
    return _members_page(request, group)


@login_required
@require_POST
def invite_organiser(request, slug):
    group = _managed_group(request, slug, permissions.can_invite, NOT_OWNER)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invite_organiser(
                group=group, email=form.cleaned_data["email"], invited_by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("We have emailed an invitation to %(email)s. It expires in 7 days.") % {"email": invitation.email},
            )
            return redirect("groups:members", slug=group.slug)
    return _members_page(request, group, invite_form=form, status=400)


@login_required
@require_POST
def change_role(request, slug, membership_id):
    group = _managed_group(request, slug, permissions.can_change_members, NOT_OWNER)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_id, group=group)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose organiser or member."))
        return _members_page(request, group, status=400)
    try:
        services.change_role(group=group, user=membership.user, role=form.cleaned_data["role"])
    except ValidationError as error:
        return _refused(request, group, error)
    if form.cleaned_data["role"] == Role.ORGANISER:
        # Translators: the person's display name.
        message = _("%(name)s is now an organiser.")
    else:
        # Translators: the person's display name.
        message = _("%(name)s is now a member.")
    messages.success(request, message % {"name": membership.user.display_name})
    return redirect("groups:members", slug=group.slug)


@login_required
@require_POST
def remove_member(request, slug, membership_id):
    group = _managed_group(request, slug, permissions.can_change_members, NOT_OWNER)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_id, group=group)
    try:
        services.remove_member(group=group, user=membership.user)
    except ValidationError as error:
        return _refused(request, group, error)
    messages.success(request, _("%(name)s is no longer in the group.") % {"name": membership.user.display_name})
    if membership.user_id == request.user.pk:
        return redirect(group)
    return redirect("groups:members", slug=group.slug)


@login_required
@require_POST
def transfer_ownership(request, slug, membership_id):
    group = _managed_group(request, slug, permissions.can_change_members, NOT_OWNER)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_id, group=group)
    if not confirmed(request):
        name = membership.user.display_name
        return confirm_page(
            request,
            # Translators: the group's name, then the display name of the member who would own it.
            title=_("Hand over %(group)s to %(name)s?") % {"group": group.name, "name": name},
            consequences=[
                _("%(name)s will own the group: they can change its page, its members and who owns it.")
                % {"name": name},
                _("You will become an organiser. Only the new owner can give ownership back."),
            ],
            button=_("Yes, hand over to %(name)s") % {"name": name},
            cancel=reverse("groups:members", kwargs={"slug": group.slug}),
        )
    try:
        services.transfer_ownership(group=group, from_user=request.user, to_user=membership.user)
    except ValidationError as error:
        return _refused(request, group, error)
    messages.success(
        request, _("%(name)s now owns the group. You are an organiser.") % {"name": membership.user.display_name}
    )
    return redirect("groups:members", slug=group.slug)


@login_required
@require_POST
def leave_group(request, slug):
    group = _managed_group(request, slug, permissions.can_leave_group, _("You are not a member of this group."))
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Leave %(group)s?") % {"group": group.name},
            consequences=[
                _("You will no longer be a member of %(group)s.") % {"group": group.name},
                _("To come back, you will need a new invitation from its organisers."),
            ],
            button=_("Yes, leave %(group)s") % {"group": group.name},
            cancel=group.get_absolute_url(),
            danger=True,
        )
    try:
        services.leave_group(group=group, user=request.user)
    except ValidationError as error:
        return _refused(request, group, error)
    messages.success(request, _("You have left %(group)s.") % {"group": group.name})
    return redirect(group)


def _invitation_problem(request, invitation, problem):
    return render(
        request,
        "groups/invitation_problem.html",
        {"invitation": invitation, "message": problem.message, "status": problem.status},
        status=problem.status,
    )


def _invitation_for_newcomer(request, invitation):
    """Someone not logged in, often without an account yet: say who invited them, offer both ways in.

    The way back to the invitation travels only as the `next` path on this site (allauth keeps it
    through sign-up and email confirmation); accepting still needs a log-in with the invited address.
    """
    try:
        services.check_invitation_open(invitation=invitation)
    except services.InvitationProblem as problem:
        return _invitation_problem(request, invitation, problem)
    if request.method == "POST":
        return redirect_to_login(request.path)
    return render(request, "groups/invitation_accept.html", {"invitation": invitation, "back_here": request.path})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def accept_invitation(request, token):
    invitation = get_object_or_404(selectors.invitation_by_token(token=token))
    if not request.user.is_authenticated:
        return _invitation_for_newcomer(request, invitation)
    try:
        services.check_invitation(invitation=invitation, user=request.user)
        if request.method == "POST":
            membership = services.accept_invitation(token=token, user=request.user)
            if membership.role == Role.OWNER:
                messages.success(
                    request, _("You are already an owner of %(group)s.") % {"group": invitation.group.name}
                )
            else:
                messages.success(
                    request, _("Welcome! You are now an organiser of %(group)s.") % {"group": invitation.group.name}
                )
            return redirect(invitation.group)
    except services.InvitationProblem as problem:
        return _invitation_problem(request, invitation, problem)
    return render(request, "groups/invitation_accept.html", {"invitation": invitation})
