"""Solution and update pages, and the forms owners and organisers use to write them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.forms import add_service_error, edit_conflict
from core.refusals import StaleEdit, refusal_status
from groups.models import Group
from groups.permissions import can_manage_group
from groups.views.hiding import hidden_or_404

from .. import selectors, services
from ..forms import ReadingsForm, SolutionForm, SolutionMetricsForm, UpdateForm, UpdateImagesForm
from ..models import Status

# Refusals from the services that concern the metrics part of the solution form.
_METRIC_CODES = {"bad_metric", "too_many_own_metrics", "metric_in_use"}


def _require_manager(user, group, *, hidden: bool) -> None:
    """403 for people who may not manage the group; 404 instead if the thing is a draft they cannot see."""
    if not can_manage_group(user, group):
        if hidden:
            raise Http404("No such page.")
        raise PermissionDenied(_("Only the group's owners and organisers can do this."))


# --- Pages ---------------------------------------------------------------------------------------------


def solution_detail(request, group_slug, slug):
    solution = get_object_or_404(selectors.solution_detail(group_slug=group_slug, slug=slug))
    can_manage = can_manage_group(request.user, solution.group)
    if solution.status != Status.PUBLISHED and not can_manage:
        raise Http404("No such solution.")
    hidden = hidden_or_404(request.user, ("solution", solution), ("group", solution.group), group=solution.group)
    updates = selectors.updates_for_solution(solution=solution, include_drafts=can_manage)
    return render(
        request,
        "challenges/solution_detail.html",
        {
            "solution": solution,
            "hidden": hidden,
            "metrics": selectors.metrics_for_page(solution=solution),
            "updates": updates,
            "lessons": [update for update in updates if update.has_lessons],
            "can_manage": can_manage,
        },
    )


def update_detail(request, group_slug, slug, pk):
    update = get_object_or_404(selectors.update_detail(group_slug=group_slug, slug=slug, pk=pk))
    can_manage = can_manage_group(request.user, update.solution.group)
    published = update.status == Status.PUBLISHED and update.solution.status == Status.PUBLISHED
    if not published and not can_manage:
        raise Http404("No such update.")
    solution = update.solution
    hidden = hidden_or_404(
        request.user, ("update", update), ("solution", solution), ("group", solution.group), group=solution.group
    )
    return render(
        request, "challenges/update_detail.html", {"update": update, "can_manage": can_manage, "hidden": hidden}
    )


# --- Solutions -----------------------------------------------------------------------------------------


@login_required
def solution_create(request, group_slug):
    group = get_object_or_404(Group, slug=group_slug)
    _require_manager(request.user, group, hidden=False)
    data = request.POST if request.method == "POST" else None
    form = SolutionForm(data)
    metrics_form = SolutionMetricsForm(data, group=group)
    status = 200
    if data is not None:
        status = 400
        if all([form.is_valid(), metrics_form.is_valid()]):
            try:
                solution = services.create_solution(
                    group=group,
                    **form.solution_fields(),
                    metric_targets=metrics_form.metric_targets(),
                    new_metrics=metrics_form.new_metrics(),
                    by=request.user,
                )
            except ValidationError as error:
                add_service_error(metrics_form if error.code in _METRIC_CODES else form, error)
                status = refusal_status(error)
            else:
                messages.success(request, _("“%(title)s” is saved.") % {"title": solution.title})
                return redirect(solution)
    return render(
        request,
        "challenges/solution_form.html",
        {"group": group, "form": form, "metrics_form": metrics_form},
        status=status,
    )


@login_required
def solution_edit(request, group_slug, slug):
    solution = get_object_or_404(selectors.solution_for_editing(group_slug=group_slug, slug=slug))
    _require_manager(request.user, solution.group, hidden=solution.status != Status.PUBLISHED)
    if request.method != "POST":
        form = SolutionForm(initial=SolutionForm.initial_for(solution), editing=True)
        metrics_form = SolutionMetricsForm(group=solution.group, solution=solution)
        return render(request, "challenges/solution_form.html", _edit_context(solution, form, metrics_form))

    form = SolutionForm(request.POST, editing=True)
    metrics_form = SolutionMetricsForm(request.POST, group=solution.group, solution=solution)
    status = 400
    if all([form.is_valid(), metrics_form.is_valid()]):
        try:
            services.edit_solution(
                solution=solution,
                based_on_version=form.cleaned_data["version"],
                **form.solution_fields(),
                metric_targets=metrics_form.metric_targets(),
                new_metrics=metrics_form.new_metrics(),
                by=request.user,
            )
        except StaleEdit as stale:
            # Keep what they typed, now based on the saved version, so saving again is a choice;
            # each field that differs from the saved version shows it.
            data = request.POST.copy()
            data["version"] = str(stale.current)
            current = get_object_or_404(selectors.solution_for_editing(group_slug=group_slug, slug=slug))
            form = SolutionForm(data, initial=SolutionForm.initial_for(current), editing=True)
            metrics_form = SolutionMetricsForm(data, group=current.group, solution=current)
            context = _edit_context(current, form, metrics_form)
            context["conflict"] = edit_conflict(stale.message, form, metrics_form)
            return render(request, "challenges/solution_form.html", context, status=409)
        except services.MetricInUse as error:
            metrics_form.error_for_metrics(error.metrics, error.message)
        except ValidationError as error:
            add_service_error(metrics_form if error.code in _METRIC_CODES else form, error)
            status = refusal_status(error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(solution)
    return render(request, "challenges/solution_form.html", _edit_context(solution, form, metrics_form), status=status)


def _edit_context(solution, form, metrics_form):
    return {"group": solution.group, "solution": solution, "form": form, "metrics_form": metrics_form}


# --- Updates -------------------------------------------------------------------------------------------


@login_required
def update_create(request, group_slug, slug):
    solution = get_object_or_404(selectors.solution_for_editing(group_slug=group_slug, slug=slug))
    _require_manager(request.user, solution.group, hidden=solution.status != Status.PUBLISHED)
    data = request.POST if request.method == "POST" else None
    form = UpdateForm(data)
    readings_form = ReadingsForm(data, solution_metrics=selectors.metrics_of_solution(solution=solution))
    images_form = UpdateImagesForm(data, request.FILES if data is not None else None)
    status = 200
    if data is not None:
        status = 400
        if all([form.is_valid(), readings_form.is_valid(), images_form.is_valid()]):
            try:
                update = services.create_update(
                    solution=solution,
                    author=request.user,
                    **form.update_fields(),
                    readings=readings_form.readings(),
                    images=images_form.new_images(),
                )
            except ValidationError as error:
                add_service_error(form, error)
                status = refusal_status(error)
            else:
                messages.success(
                    request,
                    _("Your update is posted.") if update.status == Status.PUBLISHED else _("Your draft is saved."),
                )
                return redirect(update)
    return render(
        request,
        "challenges/update_form.html",
        {"solution": solution, "form": form, "readings_form": readings_form, "images_form": images_form},
        status=status,
    )


@login_required
def update_edit(request, group_slug, slug, pk):
    update = get_object_or_404(selectors.update_detail(group_slug=group_slug, slug=slug, pk=pk))
    solution = update.solution
    hidden = update.status != Status.PUBLISHED or solution.status != Status.PUBLISHED
    _require_manager(request.user, solution.group, hidden=hidden)
    solution_metrics = selectors.metrics_of_solution(solution=solution)
    data = request.POST if request.method == "POST" else None
    form = UpdateForm(data, instance=update if data is None else None)
    readings_form = ReadingsForm(data, solution_metrics=solution_metrics, update=update)
    images_form = UpdateImagesForm(
        data, request.FILES if data is not None else None, existing=list(update.images.all())
    )
    status = 200
    if data is not None:
        status = 400
        if all([form.is_valid(), readings_form.is_valid(), images_form.is_valid()]):
            try:
                services.edit_update(
                    update=update,
                    **form.update_fields(),
                    readings=readings_form.readings(),
                    images=images_form.new_images(),
                    remove_image_ids=images_form.remove_image_ids(),
                    by=request.user,
                )
            except ValidationError as error:
                add_service_error(form, error)
                status = refusal_status(error)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(update)
    return render(
        request,
        "challenges/update_form.html",
        {
            "solution": solution,
            "update": update,
            "form": form,
            "readings_form": readings_form,
            "images_form": images_form,
        },
        status=status,
    )
