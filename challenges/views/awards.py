"""What a funder awarded its finalists and winners: recording, changing and removing an award (the funder's
members), and each challenge's awards as 360Giving data (anyone who may see the challenge)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.confirm import confirm_page, confirmed
from core.forms import add_service_error, edit_conflict
from core.refusals import StaleEdit, refusal_status

from ..funding import permissions, selectors, services, threesixtygiving
from ..funding.forms import AwardForm
from .funders import _entry_or_404, visible_challenge_or_404


def _funder_challenge(request, slug):
    """The challenge, for the members of its funder: 404 for a draft others may not know of, else 403."""
    challenge = visible_challenge_or_404(request, slug)
    if not permissions.can_record_award(request.user, challenge):
        raise PermissionDenied(_("Only the funder's members can record its awards."))
    return challenge


def _award_or_404(request, slug, pk):
    _funder_challenge(request, slug)
    return get_object_or_404(selectors.award_for_funder(slug=slug, pk=pk))


def _form_page(request, *, entry, form, award=None, refusal=None, conflict=None, status=200):
    context = {
        "challenge": entry.challenge,
        "entry": entry,
        "award": award,
        "form": form,
        "refusal": refusal,
        "conflict": conflict,
    }
    return render(request, "challenges/award_form.html", context, status=status)


def _to_entry(entry):
    return redirect(f"{entry.get_absolute_url()}#awards-title")


@login_required
def award_create(request, slug, pk):
    _funder_challenge(request, slug)
    entry = _entry_or_404(request, slug, pk)
    refusal = services.award_refusal(entry)
    if request.method != "POST":
        form = AwardForm(initial={"awarded_on": timezone.localdate()})
        return _form_page(request, entry=entry, form=form, refusal=refusal, status=409 if refusal else 200)
    form = AwardForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            award = services.record_award(entry=entry, by=request.user, **form.award_fields())
        except ValidationError as error:
            add_service_error(form, error)
            status = refusal_status(error)
        else:
            # Translators: %(title)s is what the award is, e.g. "Winner's prize".
            messages.success(request, _("“%(title)s” is recorded.") % {"title": award.title})
            return _to_entry(entry)
    return _form_page(request, entry=entry, form=form, refusal=refusal, status=status)


@login_required
def award_edit(request, slug, pk):
    award = _award_or_404(request, slug, pk)
    entry = award.entry
    if request.method != "POST":
        form = AwardForm(initial=AwardForm.initial_for(award), editing=True)
        return _form_page(request, entry=entry, form=form, award=award)
    form = AwardForm(request.POST, editing=True)
    status = 400
    if form.is_valid():
        try:
            services.edit_award(
                award=award, based_on_version=form.cleaned_data["version"], by=request.user, **form.award_fields()
            )
        except StaleEdit as stale:
            # Keep what they typed, now based on the version saved meanwhile, so saving again is a choice;
            # each field that differs from it shows what is saved now.
            data = request.POST.copy()
            data["version"] = str(stale.current.version)
            form = AwardForm(data, initial=AwardForm.initial_for(stale.current), editing=True)
            conflict = edit_conflict(stale.message, form)
            return _form_page(request, entry=entry, form=form, award=stale.current, conflict=conflict, status=409)
        except ValidationError as error:
            add_service_error(form, error)
            status = refusal_status(error)
        else:
            messages.success(request, _("The award is saved."))
            return _to_entry(entry)
    return _form_page(request, entry=entry, form=form, award=award, status=status)


@login_required
@require_POST
def award_remove(request, slug, pk):
    """Remove an award. The first POST says what that does and asks once more."""
    award = _award_or_404(request, slug, pk)
    entry = award.entry
    names = {"title": award.title, "group": entry.solution.group.name}
    if not confirmed(request):
        return confirm_page(
            request,
            # Translators: %(title)s is what the award is, %(group)s the group it was awarded to.
            title=_("Remove “%(title)s” awarded to %(group)s?") % names,
            consequences=[
                _("The award leaves the challenge page and the challenge's 360Giving data at once."),
                _("Anyone who downloaded the data before keeps their copy. This cannot be undone."),
            ],
            button=_("Yes, remove the award"),
            cancel=entry.get_absolute_url(),
            danger=True,
        )
    services.remove_award(award=award)
    messages.success(request, _("“%(title)s” is removed.") % names)
    return _to_entry(entry)


# --- 360Giving -------------------------------------------------------------------------------------------


def _public_grants(request, slug):
    """The challenge's public awards as 360Giving grants; 404 where there is nothing to publish (a draft, or no
    public award yet: the standard's package holds at least one grant)."""
    challenge = visible_challenge_or_404(request, slug, queryset=selectors.challenge_by_slug(slug=slug))
    grants = threesixtygiving.grants(selectors.public_awards_of(challenge=challenge))
    if not grants:
        raise Http404("No awards published.")
    return challenge, grants


def awards_360giving_json(request, slug):
    _challenge, grants = _public_grants(request, slug)
    return JsonResponse(threesixtygiving.package(grants), json_dumps_params={"ensure_ascii": False, "indent": 1})


def awards_360giving_csv(request, slug):
    challenge, grants = _public_grants(request, slug)
    response = HttpResponse(threesixtygiving.spreadsheet(grants), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{challenge.slug}-awards-360giving.csv"'
    return response
