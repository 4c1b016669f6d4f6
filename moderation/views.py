"""Moderation pages: report an item, the moderators' queue and case page, the owner's view and appeal,
the reporter's list of reports, suspensions and the audit log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import User
from core.forms import add_service_error
from core.refusals import refusal_status
from core.views import error_page

from . import kinds, selectors, services
from .filters import CaseFilter
from .forms import AppealForm, DecisionForm, ReportForm, SuspendForm
from .models import TARGET_FIELDS, Kind, shown_hidden_reason
from .permissions import can_moderate_case, can_suspend, can_use_queue

PAGE_SIZE = 25


def _about(kind, item):
    """What a page about one item shows of it: its kind, title and address."""
    info = kinds.KINDS[kind]
    return {"item": item, "kind": Kind(kind), "title": info.title(item), "item_url": info.url(item)}


def _item_or_404(kind, pk, user):
    item = kinds.load(kind, pk)
    if item is None or not kinds.KINDS[kind].can_see(user, item):
        raise Http404("No such item.")
    return item


@login_required
def report(request, kind, pk):
    """Report an item to the moderators."""
    if kind not in Kind.values:
        raise Http404("No such kind of item.")
    item = _item_or_404(kind, pk, request.user)
    if kinds.is_hidden(kind, item):
        # Said without its title: a hidden item's words are for its owners and the moderators now.
        return error_page(
            request,
            409,
            _("Already hidden"),
            _("The moderators have already hidden this while they look at it: there is nothing more to report."),
        )
    case = selectors.case_for_item(kind, pk)
    already = selectors.own_report(request.user, case)
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.report(
                    reporter=request.user,
                    kind=kind,
                    pk=pk,
                    reason=form.cleaned_data["reason"],
                    details=form.cleaned_data["details"],
                )
            except services.ItemNotFound:
                raise Http404("No such item.") from None
            except ValidationError as error:
                add_service_error(form, error)
                status = refusal_status(error)
            else:
                messages.success(
                    request,
                    _("Thank you: your report has reached the moderators. We will email you what they decide."),
                )
                item.refresh_from_db(fields=["hidden_at"])
                if item.hidden_at is not None:
                    # Hidden by this report (the last of several): its page is gone for the reporter.
                    return redirect("moderation:my_reports")
                return redirect(kinds.KINDS[kind].url(item))
    context = {**_about(kind, item), "form": form, "already": already}
    return render(request, "moderation/report.html", context, status=status)


@login_required
def queue(request):
    if not can_use_queue(request.user):
        raise PermissionDenied(_("Only moderators can see the moderation queue."))
    filterset = CaseFilter(request.GET or None, queryset=selectors.queue_for(request.user))
    status = 400 if filterset.is_bound and not filterset.is_valid() else 200
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/queue.html", {"filter": filterset, "page": page}, status=status)


def _case_or_404(request, pk):
    case = selectors.case_detail(pk)
    if case is None:
        raise Http404("No such case.")
    if not can_moderate_case(request.user, case):
        raise PermissionDenied(_("Only moderators can see this case."))
    return case


def _case_context(request, case, form=None):
    item = getattr(case, TARGET_FIELDS[case.kind]) if case.target_id else None
    current = kinds.snapshot(case.kind, item) if item is not None else None
    author = kinds.KINDS[case.kind].author(item) if item is not None else None
    return {
        "case": case,
        "item": item,
        "current": current,
        "author": author,
        "form": form or DecisionForm(),
        "can_suspend": can_suspend(request.user)
        and author is not None
        and author.deleted_at is None
        and not author.can_moderate,
        "appeal": getattr(case, "appeal", None),
    }


@login_required
def case(request, pk):
    found = _case_or_404(request, pk)
    return render(request, "moderation/case.html", _case_context(request, found))


@login_required
@require_POST
def decide(request, pk):
    found = _case_or_404(request, pk)
    form = DecisionForm(request.POST)
    status = 400
    if form.is_valid():
        operation = {"hide": services.hide, "dismiss": services.dismiss, "restore": services.restore}[
            form.cleaned_data["decision"]
        ]
        try:
            operation(case=found, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_error(form, error)
            status = refusal_status(error)
        else:
            messages.success(request, _decision_message(form.cleaned_data["decision"], found))
            return redirect("moderation:case", pk=found.pk)
    return render(request, "moderation/case.html", _case_context(request, found, form), status=status)


def _decision_message(decision: str, before) -> str:
    """What the decision did, as the services do it: `before` is the case as the moderator saw it.

    Hiding and restoring mail the people who run the item's group; closing reports tells each reporter
    the outcome; dismissing shows an item again only if it was hidden automatically and not appealed."""
    title = before.title
    reports = before.open_reports
    group = before.owner_group
    appeal = getattr(before, "appeal", None)
    appeal_waiting = appeal is not None and appeal.decided_at is None
    parts = []
    if decision == "hide":
        parts.append(_("Hidden “%(title)s”.") % {"title": title})
        if appeal_waiting:
            parts.append(_("The appeal is turned down."))
        if group is not None:
            parts.append(
                _("We are emailing the people who run %(group)s the reason; they can appeal once.")
                % {"group": group.name}
            )
    elif decision == "restore":
        if appeal_waiting:
            parts.append(_("Restored “%(title)s”: it is visible again and the appeal is upheld.") % {"title": title})
        else:
            parts.append(_("Restored “%(title)s”: it is visible again.") % {"title": title})
        if group is not None:
            parts.append(_("We are emailing the people who run %(group)s.") % {"group": group.name})
    else:
        parts.append(
            ngettext(
                "Dismissed %(count)d report about “%(title)s”.",
                "Dismissed %(count)d reports about “%(title)s”.",
                reports,
            )
            % {"count": reports, "title": title}
        )
        if not before.is_hidden:
            parts.append(_("It stays visible."))
        elif before.auto_hidden_at and appeal is None:
            parts.append(_("It is shown again."))
        else:
            parts.append(_("It stays hidden."))
    if reports:
        parts.append(
            ngettext(
                "The person who reported it is told the outcome.",
                "The %(count)d people who reported it are told the outcome.",
                reports,
            )
            % {"count": reports}
        )
    return " ".join(parts)


@login_required
def item(request, kind, pk):
    """What happened to an item, for the people who answer for it: the reason, the log, the appeal."""
    if kind not in Kind.values:
        raise Http404("No such kind of item.")
    found = kinds.load(kind, pk)
    if found is None:
        raise Http404("No such item.")
    case = selectors.case_for_item(kind, pk)
    answers = kinds.answers_for(request.user, kind, found)
    if not (answers or (case and can_moderate_case(request.user, case))):
        raise PermissionDenied(_("Only the people who run this item's group can see its moderation history."))
    if request.method == "POST" and not answers:
        raise PermissionDenied(_("Only the people who run this item's group can appeal."))
    if case is None:
        raise Http404("Nothing has been reported about this item.")
    form = AppealForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.appeal(kind=kind, pk=pk, by=request.user, text=form.cleaned_data["text"])
            except ValidationError as error:
                add_service_error(form, error)
                status = refusal_status(error)
            else:
                messages.success(request, _("Your appeal has reached the moderators. We will email you their answer."))
                return redirect("moderation:item", kind=kind, pk=pk)
    context = {
        **_about(kind, found),
        "case": case,
        "form": form,
        "appeal": getattr(case, "appeal", None),
        "can_appeal": answers,
        "hidden_reason": shown_hidden_reason(found.hidden_reason),
    }
    return render(request, "moderation/item.html", context, status=status)


@login_required
def my_reports(request):
    page = Paginator(selectors.reports_by(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/my_reports.html", {"page": page})


@login_required
@require_POST
def suspend(request, pk):
    if not can_suspend(request.user):
        raise PermissionDenied(_("Only site moderators can suspend accounts."))
    person = get_object_or_404(User, pk=pk, deleted_at__isnull=True)
    form = SuspendForm(request.POST)
    back = request.POST.get("case")
    if form.is_valid():
        operation = services.suspend if form.cleaned_data["action"] == "suspend" else services.unsuspend
        try:
            operation(user=person, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return render(
                request,
                "moderation/suspend_refused.html",
                {"person": person, "errors": error.messages, "form": form},
                status=refusal_status(error),
            )
        if form.cleaned_data["action"] == "suspend":
            done = _("%(person)s is suspended. The log records it.")
        else:
            done = _("%(person)s may post again. The log records it.")
        messages.success(request, done % {"person": person.display_name})
    else:
        return render(
            request, "moderation/suspend_refused.html", {"person": person, "errors": [], "form": form}, status=400
        )
    if back and back.isdigit():
        return redirect("moderation:case", pk=int(back))
    return redirect("moderation:log")


@login_required
def log(request):
    if not can_suspend(request.user):
        raise PermissionDenied(_("Only site moderators can read the moderation log."))
    page = Paginator(selectors.audit_log(), 50).get_page(request.GET.get("page"))
    return render(request, "moderation/log.html", {"page": page})
