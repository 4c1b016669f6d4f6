"""The funder's review screen: filter, sort and page through entries, score them, decide, export."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_error
from core.refusals import refusal_status

from ..funding import selectors, services
from ..funding.exports import review_csv_rows
from ..funding.filters import ReviewFilter
from ..funding.forms import EntryStatusForm, ScoreForm
from .funders import _entry_or_404, entry_page, managed_challenge

PAGE_SIZE = 25


def _filtered(request, challenge):
    filterset = ReviewFilter(request.GET or None, queryset=selectors.entries_for_review(challenge=challenge))
    # Invalid filters are reported and ignored; the list still shows, with status 400.
    status = 400 if filterset.is_bound and not filterset.is_valid() else 200
    return filterset, status


@login_required
def review_list(request, slug):
    challenge = managed_challenge(request, slug)
    filterset, status = _filtered(request, challenge)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    metrics = selectors.shared_metrics()
    entries = list(page.object_list)
    selectors.decorate_review_page(entries, metrics, challenge)
    context = {
        "challenge": challenge,
        "filter": filterset,
        "page": page,
        "entries": entries,
        "metrics": metrics,
        "criteria_weights": selectors.normalised_weights(challenge.criteria.all()),
    }
    return render(request, "challenges/review_list.html", context, status=status)


@login_required
def review_export(request, slug):
    challenge = managed_challenge(request, slug)
    filterset, status = _filtered(request, challenge)
    rows = review_csv_rows(
        challenge=challenge,
        entries=filterset.qs,
        metrics=selectors.shared_metrics(),
        site_url=settings.SITE_URL,
    )
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8", status=status)
    response["Content-Disposition"] = f'attachment; filename="{challenge.slug}-entries.csv"'
    return response


@login_required
@require_POST
def entry_score(request, slug, pk):
    managed_challenge(request, slug)
    entry = _entry_or_404(request, slug, pk)
    form = ScoreForm(request.POST, criteria=entry.challenge.criteria.all())
    status = 400
    if form.is_valid():
        try:
            services.score_entry(entry=entry, reviewer=request.user, scores=form.scores())
        except ValidationError as error:
            add_service_error(form, error)
            status = refusal_status(error)
        else:
            messages.success(request, _("Your scores are saved."))
            return redirect(entry)
    return entry_page(request, entry, score_form=form, status=status)


@login_required
@require_POST
def entry_status(request, slug, pk):
    managed_challenge(request, slug)
    entry = _entry_or_404(request, slug, pk)
    form = EntryStatusForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.set_entry_status(entry=entry, status=form.cleaned_data["status"])
        except ValidationError as error:
            add_service_error(form, error)
            status = refusal_status(error)
        else:
            # Translators: %(status)s is the entry's new status, e.g. "Shortlisted".
            messages.success(request, _("The entry is now “%(status)s”.") % {"status": entry.get_status_display()})
            if request.POST.get("back_to") == "review":
                return redirect("challenges:review", slug=slug)
            return redirect(entry)
    return entry_page(request, entry, status_form=form, status=status)
