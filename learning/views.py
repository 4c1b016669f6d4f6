import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from challenges.selectors import lessons
from core.pagination import capped_page, filters_key
from core.refusals import refusal_status
from core.views import error_page
from groups.models import Group
from groups.permissions import MANAGING_ROLES, can_manage_group, role_in_group
from groups.selectors import with_viewer_role
from groups.views.hiding import hidden_or_404

from . import connections, selectors
from .filters import LessonFilter, context_closeness
from .forms import AskForm, MessageForm
from .models import Connection
from .permissions import why_not_askable

SLUG = re.compile(r"[-\w]+")
LEANS = {
    "balanced": pgettext_lazy("lean of the peer list", "Balanced"),
    "place": gettext_lazy("Similar place"),
    "approach": gettext_lazy("Similar approach"),
}

PAGE_SIZE = 20
# How many peers of each list, and lessons, a phone shows before "See all" (site.css hides the rest
# at phone width): the whole page was about 8,000 px tall on a phone.
PEERS_ON_A_PHONE = 2
LESSONS_ON_A_PHONE = 1


def _reader_group(request):
    """The group whose context orders the lessons: ?for=<slug>, else the reader's first group."""
    slug = request.GET.get("for", "")[:140]
    if slug and not SLUG.fullmatch(slug):
        return None  # not a group's address (e.g. a NUL byte): order by recency instead
    if slug:
        return Group.objects.visible().filter(slug=slug).first()
    if request.user.is_authenticated:
        return (
            Group.objects.visible().filter(memberships__user=request.user).order_by("memberships__created_at").first()
        )
    return None


def index(request):
    """The lessons library: lessons learned, closest local contexts first."""
    reader_group = _reader_group(request)
    queryset = lessons().select_related("solution__challenge_area")
    filterset = LessonFilter(request.GET or None, queryset=queryset)
    status = 400 if filterset.is_bound and not filterset.is_valid() else 200
    results = filterset.qs
    cleaned = getattr(filterset.form, "cleaned_data", {})
    explicit_order = cleaned.get("sort") or cleaned.get("q")
    by_closeness = reader_group is not None and not explicit_order
    if by_closeness:
        results = results.annotate(closeness=context_closeness(reader_group)).order_by(
            "-closeness", "-published_at", "-pk"
        )
    page = capped_page(
        results,
        request.GET.get("page"),
        per_page=PAGE_SIZE,
        count_key=filters_key(request, "lessons"),
        # Closeness is scored for every lesson's group: from the groups' context index, not their rows.
        ids_first=by_closeness,
    )
    return render(
        request,
        "learning/index.html",
        {"filter": filterset, "page": page, "reader_group": reader_group, "share_filter_form": True},
        status=status,
    )


def group_learning(request, slug):
    """A group's learning page: peers ahead, then the most similar of the others, with reasons, and
    their lessons. Each peer appears once. On a phone only the first few of each list show, with a
    link to all of them (?all=1) that needs no JavaScript."""
    # The viewer's role is read with the group: "yours" and the question links depend on it.
    group = get_object_or_404(with_viewer_role(Group.objects.filter(slug=slug), request.user))
    hidden = hidden_or_404(request.user, ("group", group), group=group)
    lean = request.GET.get("lean", "balanced")
    if lean not in LEANS:
        lean = "balanced"
    peers = selectors.peers_for_page(group=group, lean=lean)
    relevant_lessons = selectors.lessons_for_page(group=group, peers=peers.groups)
    return render(
        request,
        "learning/group_learning.html",
        {
            "group": group,
            "hidden": hidden,
            # Every peer on the page, each once; then the two sections.
            "peers": peers.ahead + peers.similar,
            "ahead": peers.ahead,
            "similar": peers.similar,
            "lessons": relevant_lessons,
            "lean": lean,
            "leans": LEANS,
            "show_all": request.GET.get("all") == "1",
            "few": PEERS_ON_A_PHONE,
            "few_lessons": LESSONS_ON_A_PHONE,
            # "Yours" is for the group's own people; everyone else reads the group's name.
            "is_own_group": role_in_group(request.user, group) is not None,
            "can_manage": can_manage_group(request.user, group),
        },
    )


def _managed_groups(user):
    return Group.objects.filter(memberships__user=user, memberships__role__in=MANAGING_ROLES).order_by("name")


def _asking_group(request, groups):
    """The group named by ?from=<slug> (the learning page the person came from), if they run it.

    Returns (group or None, refusal message or None): a group they do not run is refused, not ignored.
    """
    slug = request.GET.get("from", "")
    if not slug:
        return None, None
    group = groups.filter(slug=slug[:140]).first() if SLUG.fullmatch(slug[:140]) else None
    if group is None:
        return None, _("You can only ask on behalf of a group you run: choose one of yours below.")
    return group, None


@login_required
def ask(request, slug):
    """Ask a peer group a question, on behalf of a group the person runs (by default the one whose
    learning page they came from). Historical examples cannot be asked: nobody there would answer."""
    to_group = get_object_or_404(Group.objects.visible(), slug=slug)
    managed = _managed_groups(request.user)
    groups = managed.exclude(pk=to_group.pk)
    if not groups.exists():
        if managed.exists():
            raise PermissionDenied(
                _("%(group)s is your own group: a group cannot ask itself.") % {"group": to_group.name}
            )
        raise PermissionDenied(_("Only the owners and organisers of a group can ask another group a question."))
    refusal = why_not_askable(to_group)
    from_group, from_refusal = _asking_group(request, groups)
    form = AskForm(request.POST or None, groups=groups, initial={"from_group": from_group})
    status = 200
    if refusal is not None:
        status = 403
        if request.method == "POST":
            form.add_error(None, refusal)  # the question stays on the form
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                connection = connections.request_connection(
                    from_group=form.cleaned_data["from_group"],
                    to_group=to_group,
                    by=request.user,
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                # Refusals, rate limits included (429), come back on the form with the question kept.
                form.add_error(None, error)
                status = refusal_status(error)
            else:
                messages.success(request, _("Your question is on its way to %(group)s.") % {"group": to_group.name})
                return redirect("learning:connection", pk=connection.pk)
    elif from_refusal is not None:
        messages.error(request, from_refusal)
        status = 403
    context = {"form": form, "to_group": to_group, "refusal": refusal, "show_form": refusal is None or form.is_bound}
    return render(request, "learning/ask.html", context, status=status)


@login_required
def group_connections(request, slug):
    group = get_object_or_404(Group, slug=slug)
    if not can_manage_group(request.user, group):
        raise PermissionDenied(_("Only this group's owners and organisers can see its connections."))
    return render(
        request,
        "learning/connections.html",
        {"group": group, "connections": selectors.connections_of(group=group)},
    )


@login_required
def connection_detail(request, pk):
    connection = get_object_or_404(selectors.connection_with_messages(), pk=pk)
    side = connections.side_of(request.user, connection)
    if side is None:
        raise PermissionDenied(_("Only the owners and organisers of these two groups can see this conversation."))
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST" and connection.status != Connection.Status.ACCEPTED:
        # The message form is only on the page once accepted, so its errors could not be shown: say why here.
        messages.error(request, _("You can write once the other group has accepted."))
        status = 409
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                connections.send_message(connection=connection, by=request.user, body=form.cleaned_data["body"])
            except ValidationError as error:
                form.add_error(None, error)
                status = refusal_status(error, default=409)
            else:
                messages.success(request, _("Message sent."))
                return redirect("learning:connection", pk=connection.pk)
    context = {
        "connection": connection,
        "side": side,
        "other": connection.to_group if side.pk == connection.from_group_id else connection.from_group,
        "can_respond": connection.status == "pending" and side.pk == connection.to_group_id,
        "form": form,
    }
    return render(request, "learning/connection_detail.html", context, status=status)


@login_required
@require_POST
def respond(request, pk):
    connection = get_object_or_404(Connection.objects.select_related("from_group", "to_group"), pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        return error_page(request, 400, _("Choose accept or decline"), _("Please choose whether to accept or decline."))
    try:
        connections.respond(connection=connection, by=request.user, accept=decision == "accept")
    except ValidationError as error:
        return error_page(request, 409, _("Already answered"), " ".join(error.messages))
    messages.success(
        request,
        _("You accepted: you can now write to each other.") if decision == "accept" else _("You declined the request."),
    )
    return redirect("learning:connection", pk=connection.pk)


@login_required
@require_POST
def block(request, pk):
    connection = get_object_or_404(Connection.objects.select_related("from_group", "to_group"), pk=pk)
    blocked = connections.block(connection=connection, by=request.user)
    messages.success(
        request,
        # Translators: %(blocked)s is the blocked group, %(group)s the group that blocked it.
        _("%(blocked)s is blocked: they can no longer ask or write to %(group)s.")
        % {"blocked": blocked.blocked.name, "group": blocked.blocker.name},
    )
    return redirect("learning:group_connections", slug=blocked.blocker.slug)
