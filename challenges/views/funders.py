"""Funders' challenges and groups' entries: pages and the forms that change them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.confirm import confirm_page, confirmed
from core.forms import add_service_error
from core.refusals import refusal_status
from groups.models import Group
from groups.permissions import can_manage_group
from groups.views.hiding import hidden_or_404

from ..funding import permissions, selectors, services, stages
from ..funding.forms import ChallengeForm, CriteriaForm, EntryForm, EntryStatusForm, QuestionsForm, ScoreForm, StageForm
from ..models import EntryStatus, Funder


def visible_challenge_or_404(request, slug, *, queryset=None):
    challenge = get_object_or_404(queryset if queryset is not None else selectors.challenge_by_slug(slug=slug))
    if not permissions.can_see_challenge(request.user, challenge):
        raise Http404("No such challenge.")
    return challenge


def managed_challenge(request, slug):
    """The challenge, for its funder's members: 404 for a draft others may not know of, else 403."""
    challenge = visible_challenge_or_404(request, slug)
    if not permissions.can_manage_challenge(request.user, challenge):
        raise PermissionDenied(_("Only the funder's members can do this."))
    return challenge


# --- Funders and challenges ----------------------------------------------------------------------------


def funder_detail(request, slug):
    funder = get_object_or_404(Funder, slug=slug)
    is_member = permissions.is_funder_member(request.user, funder)
    challenges = selectors.challenges_of_funder(funder=funder, include_drafts=is_member)
    return render(
        request, "challenges/funder_detail.html", {"funder": funder, "challenges": challenges, "is_member": is_member}
    )


def _challenge_page(request, challenge, *, stage_form=None, status=200):
    can_manage = permissions.can_manage_challenge(request.user, challenge)
    own_group_ids = permissions.managed_group_ids(request.user)
    next_stage = stages.next_stage(challenge.stage)
    context = {
        "challenge": challenge,
        "can_manage": can_manage,
        "weights": selectors.normalised_weights(challenge.criteria.all()),
        "entries": selectors.public_entries(challenge=challenge),
        "own_entries": selectors.entries_of_groups(challenge=challenge, group_ids=own_group_ids),
        "own_groups": Group.objects.filter(pk__in=own_group_ids).order_by("name") if own_group_ids else [],
        "entries_open": services.entries_are_open(challenge),
        "can_see_dashboard": permissions.can_see_dashboard(request.user, challenge),
        "next_stage": next_stage,
        "next_stage_label": stages.LABELS.get(next_stage),
        "way_back": stages.way_back(challenge) if can_manage else None,
        "stage_form": stage_form,
        "awards": list(selectors.public_awards_of(challenge=challenge)),
    }
    return render(request, "challenges/challenge_detail.html", context, status=status)


def challenge_detail(request, slug):
    challenge = visible_challenge_or_404(request, slug, queryset=selectors.challenge_detail(slug=slug))
    return _challenge_page(request, challenge)


def _challenge_form_page(request, *, challenge, funders, template_status=200, forms=None):
    if forms is None:
        if challenge is None:
            forms = (ChallengeForm(funders=funders), CriteriaForm(), QuestionsForm())
        else:
            forms = (
                ChallengeForm(initial=ChallengeForm.initial_for(challenge)),
                CriteriaForm(initial=CriteriaForm.initial_for(challenge)),
                QuestionsForm(initial=QuestionsForm.initial_for(challenge)),
            )
    form, criteria_form, questions_form = forms
    return render(
        request,
        "challenges/challenge_form.html",
        {"challenge": challenge, "form": form, "criteria_form": criteria_form, "questions_form": questions_form},
        status=template_status,
    )


@login_required
def challenge_create(request):
    if not permissions.can_create_challenge(request.user):
        raise PermissionDenied(_("Only members of a funder can start a challenge."))
    funders = Funder.objects.filter(pk__in=permissions.funder_ids(request.user))
    if request.method != "POST":
        return _challenge_form_page(request, challenge=None, funders=funders)
    forms = (ChallengeForm(request.POST, funders=funders), CriteriaForm(request.POST), QuestionsForm(request.POST))
    form, criteria_form, questions_form = forms
    status = 400
    valid = [f.is_valid() for f in forms]  # every form, so each shows its errors
    if all(valid):
        try:
            challenge = services.create_challenge(
                funder=form.cleaned_data["funder"],
                created_by=request.user,
                criteria=criteria_form.criteria(),
                questions=questions_form.questions(),
                **form.challenge_fields(),
            )
        except ValidationError as error:
            add_service_error(criteria_form if "criteria" in getattr(error, "error_dict", {}) else form, error)
            status = refusal_status(error)
        else:
            messages.success(
                request,
                _("“%(title)s” is saved as a draft. Only your funder's members see it.") % {"title": challenge.title},
            )
            return redirect(challenge)
    return _challenge_form_page(request, challenge=None, funders=funders, template_status=status, forms=forms)


@login_required
def challenge_edit(request, slug):
    challenge = managed_challenge(request, slug)
    if request.method != "POST":
        return _challenge_form_page(request, challenge=challenge, funders=None)
    forms = (ChallengeForm(request.POST), CriteriaForm(request.POST), QuestionsForm(request.POST))
    form, criteria_form, questions_form = forms
    status = 400
    valid = [f.is_valid() for f in forms]  # every form, so each shows its errors
    if all(valid):
        try:
            services.edit_challenge(
                challenge=challenge,
                criteria=criteria_form.criteria(),
                questions=questions_form.questions(),
                **form.challenge_fields(),
            )
        except ValidationError as error:
            add_service_error(
                criteria_form if error.code != "criteria_fixed" and hasattr(error, "error_dict") else form, error
            )
            status = refusal_status(error)
        else:
            messages.success(request, _("The challenge is saved."))
            return redirect(challenge)
    return _challenge_form_page(request, challenge=challenge, funders=None, template_status=status, forms=forms)


@login_required
@require_POST
def challenge_stage(request, slug):
    """Move the challenge on to its next stage. The first POST says what that does and asks once more."""
    return _move_stage(request, slug, back=False)


@login_required
@require_POST
def challenge_stage_back(request, slug):
    """Take back the challenge's latest move on, while that is safe (`stages.move_stage_back`)."""
    return _move_stage(request, slug, back=True)


def _move_stage(request, slug, *, back):
    challenge = managed_challenge(request, slug)
    form = StageForm(request.POST)
    if not form.is_valid():
        return _stage_refused(request, slug, form, status=400)
    to_stage, from_stage = form.cleaned_data["to_stage"], form.cleaned_data["from_stage"]
    try:
        if not confirmed(request):
            move = stages.plan_stage_move(challenge=challenge, to_stage=to_stage, from_stage=from_stage, back=back)
            names = {"challenge": challenge.title, "stage": move.to_label}
            if back:
                # Translators: %(challenge)s is the challenge's title, %(stage)s the stage it would go back to.
                title = _("Move “%(challenge)s” back to “%(stage)s”?") % names
                button = _("Yes, move back to “%(stage)s”") % names
            else:
                # Translators: %(challenge)s is the challenge's title, %(stage)s the stage it would move to.
                title = _("Move “%(challenge)s” to “%(stage)s”?") % names
                button = _("Yes, move to “%(stage)s”") % names
            return confirm_page(
                request,
                title=title,
                consequences=move.consequences,
                button=button,
                cancel=challenge.get_absolute_url(),
                carry={"to_stage": to_stage, "from_stage": from_stage},
            )
        act = stages.move_stage_back if back else stages.advance_stage
        change = act(challenge=challenge, to_stage=to_stage, from_stage=from_stage, user=request.user)
    except ValidationError as error:
        add_service_error(form, error)
        return _stage_refused(request, slug, form, status=refusal_status(error))
    stage = {"stage": change.get_to_stage_display()}
    if back:
        messages.success(request, _("The challenge is back at “%(stage)s”.") % stage)
    else:
        messages.success(request, _("The challenge is now at “%(stage)s”.") % stage)
    return redirect(challenge)


def _stage_refused(request, slug, form, *, status):
    """The challenge page again, with why the stage did not change."""
    challenge = selectors.challenge_detail(slug=slug).get()
    return _challenge_page(request, challenge, stage_form=form, status=status)


# --- Entries -------------------------------------------------------------------------------------------


@login_required
def entry_create(request, slug, group_slug):
    challenge = visible_challenge_or_404(request, slug)
    group = get_object_or_404(Group, slug=group_slug)
    if not permissions.can_enter_for_group(request.user, group):
        raise PermissionDenied(_("Only the group's owners and organisers can enter it in a challenge."))
    form = EntryForm(request.POST if request.method == "POST" else None, challenge=challenge, group=group)
    context = {"challenge": challenge, "group": group, "form": form}
    context["closed"] = services.entries_closed_reason(challenge, editing=False)
    if context["closed"]:
        return render(request, "challenges/entry_form.html", context, status=409)
    context["ineligible"] = services.ineligibility(challenge, group)
    if request.method != "POST":
        return render(request, "challenges/entry_form.html", context)
    status = 400
    if form.is_valid():
        try:
            entry = services.enter_challenge(
                challenge=challenge, solution=form.cleaned_data["solution"], user=request.user, answers=form.answers()
            )
        except ValidationError as error:
            add_service_error(form, error)
            status = refusal_status(error)
        else:
            messages.success(
                request,
                _("“%(title)s” is entered. You can change your answers until entries close.")
                % {"title": entry.solution.title},
            )
            return redirect(entry)
    return render(request, "challenges/entry_form.html", context, status=status)


def _hidden_part(user, entry):
    """What hides the entry (itself, its solution or its group), if anything; 404 for those who may not see
    it. The challenge's funder moderates its entries, so its members see them as moderators do."""
    solution = entry.solution
    return hidden_or_404(
        user,
        ("entry", entry),
        ("solution", solution),
        ("group", solution.group),
        group=solution.group,
        also=permissions.can_manage_challenge(user, entry.challenge),
    )


def _entry_or_404(request, slug, pk):
    entry = get_object_or_404(selectors.entry_detail(slug=slug, pk=pk))
    if not permissions.can_see_entry(request.user, entry):
        raise Http404("No such entry.")
    _hidden_part(request.user, entry)
    return entry


def entry_page(request, entry, *, score_form=None, status_form=None, status=200):
    challenge = entry.challenge
    can_review = permissions.can_review(request.user, challenge)
    criteria = list(challenge.criteria.all())
    context = {
        "entry": entry,
        "challenge": challenge,
        "hidden": _hidden_part(request.user, entry),
        "runs_group": can_manage_group(request.user, entry.solution.group),
        "can_review": can_review,
        "can_edit": permissions.can_edit_entry(request.user, entry) and services.entries_are_open(challenge),
        "answers": list(entry.answers.all()),
        "awards": selectors.awards_of_entry(entry=entry),
        "can_record_award": permissions.can_record_award(request.user, challenge),
    }
    if context["can_record_award"]:
        context["award_refusal"] = services.award_refusal(entry)
    if can_review:
        summary = selectors.score_summary(entry=entry, criteria=criteria, viewer=request.user)
        context.update(
            summary=summary,
            criteria=criteria,
            score_form=score_form or ScoreForm(initial=ScoreForm.initial_for(summary.mine), criteria=criteria),
            status_form=status_form or EntryStatusForm(),
            next_statuses=[
                (value, label) for value, label in EntryStatus.choices if value in services.NEXT_STATUSES[entry.status]
            ],
            can_decide=challenge.stage in services.DECISION_STAGES,
        )
    return render(request, "challenges/entry_detail.html", context, status=status)


def entry_detail(request, slug, pk):
    return entry_page(request, _entry_or_404(request, slug, pk))


@login_required
def entry_edit(request, slug, pk):
    entry = _entry_or_404(request, slug, pk)
    if not permissions.can_edit_entry(request.user, entry):
        raise PermissionDenied(_("Only the group's owners and organisers can change its entry."))
    challenge = entry.challenge
    initial = {f"answer_{answer.question_id}": answer.text for answer in entry.answers.all()}
    form = EntryForm(
        request.POST if request.method == "POST" else None, initial=initial, challenge=challenge, editing=True
    )
    context = {"challenge": challenge, "group": entry.solution.group, "form": form, "entry": entry}
    context["closed"] = services.entries_closed_reason(challenge, editing=True)
    if context["closed"]:
        return render(request, "challenges/entry_form.html", context, status=409)
    if request.method != "POST":
        return render(request, "challenges/entry_form.html", context)
    status = 400
    if form.is_valid():
        try:
            services.edit_entry(entry=entry, answers=form.answers(), by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
            status = refusal_status(error)
        else:
            messages.success(request, _("Your answers are saved."))
            return redirect(entry)
    return render(request, "challenges/entry_form.html", context, status=status)
