"""Actions: organisers publish them, residents sign up, everyone can put them in a calendar."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import add_service_error
from core.refusals import refusal_status

from .. import actions, permissions, selectors, structured_data
from ..feeds import action_calendar
from ..forms_actions import ActionEditForm, NewActionForm, action_initial, action_values
from ..models import Group
from .hiding import hidden_or_404

NOT_MANAGER = gettext_lazy("Only this group's owners and organisers can do this.")


def _managed_group(request, slug):
    group = get_object_or_404(Group, slug=slug)
    if not permissions.can_manage_actions(request.user, group):
        raise PermissionDenied(NOT_MANAGER)
    return group


def _shown_action(request, slug, pk):
    """The action for its page: 404 if it (or its group) is hidden and the viewer may not see it."""
    action = get_object_or_404(selectors.action_for_page(slug=slug, pk=pk))
    hidden_or_404(request.user, ("action", action), ("group", action.group), group=action.group)
    return action


def _action_page(request, action, *, status=200):
    user = request.user
    hidden = hidden_or_404(user, ("action", action), ("group", action.group), group=action.group)
    places_left = max(action.capacity - action.confirmed_count, 0)
    return render(
        request,
        "groups/action_detail.html",
        {
            "action": action,
            "group": action.group,
            "hidden": hidden,
            # Nothing for search engines about an action, or of a group, the moderators hid.
            "structured_data": None
            if hidden
            else structured_data.event_for(action, request=request, places_left=places_left),
            "signup": selectors.signup_of(action=action, user=user),
            "places_left": places_left,
            "is_open": not action.is_cancelled and action.starts_at > timezone.now(),
            "can_manage": permissions.can_manage_actions(user, action.group),
            "can_see_attendees": permissions.can_see_attendees(user, action.group),
        },
        status=status,
    )


def action_detail(request, slug, pk):
    return _action_page(request, _shown_action(request, slug, pk))


@login_required
def action_create(request, slug):
    group = _managed_group(request, slug)
    context = {"group": group, "creating": True}
    if request.method != "POST":
        context["form"] = NewActionForm()
        return render(request, "groups/action_form.html", context)
    form = NewActionForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            action = actions.create_action(group=group, created_by=request.user, **action_values(form))
        except ValidationError as error:
            add_service_error(form, error)
            status = refusal_status(error)
        else:
            messages.success(
                request,
                # Translators: the action's title, then the group's name.
                _("“%(action)s” is published. Followers of %(group)s will hear of it.")
                % {"action": action.title, "group": group.name},
            )
            return redirect(action)
    context["form"] = form
    return render(request, "groups/action_form.html", context, status=status)


@login_required
def action_edit(request, slug, pk):
    group = _managed_group(request, slug)
    action = get_object_or_404(group.actions.select_related("group"), pk=pk)
    context = {"group": group, "action": action, "creating": False}
    if request.method != "POST":
        context["form"] = ActionEditForm(initial=action_initial(action))
        return render(request, "groups/action_form.html", context)
    form = ActionEditForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            actions.update_action(
                action=action, status=form.cleaned_data["status"], by=request.user, **action_values(form)
            )
        except ValidationError as error:
            add_service_error(form, error)
            status = refusal_status(error)
        else:
            messages.success(request, _("The action is saved."))
            return redirect(action)
    context["form"] = form
    return render(request, "groups/action_form.html", context, status=status)


def _signup_change(request, slug, pk, change, success):
    action = _shown_action(request, slug, pk)
    try:
        signup = change(action_id=action.pk, user=request.user)
    except actions.SignupRefused as refused:
        messages.error(request, " ".join(refused.messages))
        return _action_page(request, action, status=refused.status)
    messages.success(request, success(signup))
    return redirect(action)


def _signed_up_message(signup):
    if signup.status == "waiting":
        position = actions.waiting_position(signup)
        return _(
            "The action is full, so you are on the waiting list (number %(position)s). "
            "We will email you if a place comes free."
        ) % {"position": position}
    return _("You are signed up. We have emailed you the details, with a calendar file.")


@login_required
@require_POST
def action_signup(request, slug, pk):
    return _signup_change(request, slug, pk, actions.sign_up, _signed_up_message)


@login_required
@require_POST
def action_cancel_signup(request, slug, pk):
    return _signup_change(request, slug, pk, actions.cancel_signup, lambda signup: _("Your sign-up is cancelled."))


def _attendee_group_action(request, slug, pk):
    group = get_object_or_404(Group, slug=slug)
    if not permissions.can_see_attendees(request.user, group):
        raise PermissionDenied(NOT_MANAGER)
    action = get_object_or_404(selectors.action_for_page(slug=slug, pk=pk))
    return action


@login_required
def action_attendees(request, slug, pk):
    action = _attendee_group_action(request, slug, pk)
    return render(
        request,
        "groups/action_attendees.html",
        {"action": action, "group": action.group, "attendees": selectors.action_attendees(action=action)},
    )


def _csv_cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet: make it plain text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
def action_attendees_csv(request, slug, pk):
    action = _attendee_group_action(request, slug, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="action-{action.pk}-attendees.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Name"), _("Email"), _("Status"), _("Signed up (UK time)")])
    for signup in selectors.action_attendees(action=action):
        writer.writerow(
            [
                _csv_cell(signup.user.display_name),
                _csv_cell(signup.user.email),
                signup.get_status_display(),
                timezone.localtime(signup.queued_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return response


def _calendar_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def action_ics(request, slug, pk):
    action = _shown_action(request, slug, pk)
    return _calendar_response(action_calendar([action]), f"action-{action.pk}.ics")


def group_actions_ics(request, slug):
    group = get_object_or_404(Group.objects.visible(), slug=slug)
    upcoming = selectors.upcoming_actions(group=group)[:200]
    # Translators: the name of a group's calendar of actions, as calendar programs show it.
    name = _("%(group)s (Localism)") % {"group": group.name}
    return _calendar_response(action_calendar(upcoming, name=name), f"{group.slug}-actions.ics")
