from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groups.forms_actions import HomeAreaForm

from . import selectors, services
from .forms import DeleteAccountForm, ProfileForm


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(
                user=request.user,
                display_name=form.cleaned_data["display_name"],
                home_area=form.cleaned_data["home_area"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/profile.html", {"form": form}, status=status)


@login_required
@require_safe
def my_data(request):
    return render(request, "accounts/user_data.html")


@never_cache
@login_required
@require_safe
def my_data_download(request):
    """The person's own data as a JSON file. A GET: it changes nothing."""
    response = JsonResponse(
        selectors.personal_data_for(request.user),
        encoder=DjangoJSONEncoder,
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    filename = f"localism-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_account(user=request.user)
        except services.AccountDeletionRefused as refusal:
            form.add_error(None, refusal)
            return _delete_page(request, form, blocking_groups=refusal.groups, status=409)
        logout(request)
        messages.success(
            request,
            _(
                "Your account is deleted. Your personal data is gone; what you wrote for groups now shows "
                "“Former member”. Thank you for taking part."
            ),
        )
        return redirect("home")
    status = 400 if request.method == "POST" else 200
    return _delete_page(request, form, blocking_groups=selectors.groups_only_they_own(request.user), status=status)


def _delete_page(request, form, *, blocking_groups, status):
    context = {"form": form, "blocking_groups": blocking_groups}
    return render(request, "accounts/user_delete.html", context, status=status)


@login_required
@require_POST
def save_home_area(request):
    """Save the place the near-you page showed as the person's home area (a profile field), and go back there."""
    form = HomeAreaForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["place"]))
        return redirect("groups:nearby")
    place = form.cleaned_data["place"]
    try:
        services.update_profile(user=request.user, display_name=request.user.display_name, home_area=place)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            # Translators: %(place)s is the place the person typed (a postcode district, town or village).
            _("“%(place)s” is saved as your home area. We will show what is near it first.") % {"place": place},
        )
    return redirect(reverse("groups:nearby") + "?" + urlencode({"place": place}))
