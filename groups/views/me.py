"""A resident's own page, joining and following groups, and unsubscribing from their mails."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .. import notifications, selectors
from ..forms_actions import FollowForm
from ..models import FollowMail, Group

BAD_LINK = gettext_lazy(
    "This unsubscribe link is not valid: it may have been cut short by your mail program. "
    "Copy the whole link from the mail, or sign in and change your emails on your page."
)


@login_required
def me(request):
    user = request.user
    return render(
        request,
        "groups/me.html",
        {
            "my_groups": selectors.resident_groups(user=user),
            "signups": selectors.resident_signups(user=user),
            "news": selectors.resident_news(user=user),
        },
    )


def _message_page(request, group, error, status):
    return render(
        request, "groups/action_problem.html", {"group": group, "message": " ".join(error.messages)}, status=status
    )


@login_required
@require_POST
def join_group(request, slug):
    group = get_object_or_404(Group.objects.visible(), slug=slug)
    try:
        notifications.join_group(group=group, user=request.user)
    except ValidationError as error:
        return _message_page(request, group, error, 409)
    messages.success(
        request,
        _("Welcome to %(group)s! You will get an email when they post something new.") % {"group": group.name},
    )
    return redirect(group)


@login_required
@require_POST
def follow_group(request, slug):
    group = get_object_or_404(Group.objects.visible(), slug=slug)
    form = FollowForm(request.POST)
    if not form.is_valid():
        return _message_page(request, group, ValidationError(form.errors["mail"]), 400)
    follow = notifications.follow_group(group=group, user=request.user, mail=form.cleaned_data["mail"])
    if follow.mail == FollowMail.IMMEDIATE:
        message = _("You follow %(group)s: each new post, by email.")
    elif follow.mail == FollowMail.WEEKLY:
        message = _("You follow %(group)s: a weekly digest.")
    else:
        message = _("You follow %(group)s: no emails.")
    messages.success(request, message % {"group": group.name})
    # The form on the resident's own page sends them back there.
    return redirect("groups:me") if request.POST.get("next") == "me" else redirect(group)


@login_required
@require_POST
def unfollow_group(request, slug):
    group = get_object_or_404(Group, slug=slug)
    try:
        notifications.unfollow_group(group=group, user=request.user)
    except ValidationError as error:
        return _message_page(request, group, error, 409)
    messages.success(request, _("You no longer follow %(group)s.") % {"group": group.name})
    return redirect(group)


@csrf_exempt  # mail programs post the RFC 8058 one-click request without our cookie; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        target = notifications.read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "groups/unsubscribe.html", {"error": BAD_LINK}, status=400)
    group = Group.objects.filter(pk=target["group_id"]).first() if target["group_id"] else None
    context = {"token": token, "group": group, "digest": target["group_id"] is None}
    if request.method == "POST":
        notifications.unsubscribe(token=token)
        context["done"] = True
    return render(request, "groups/unsubscribe.html", context)
