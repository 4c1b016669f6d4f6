from django.core.paginator import Paginator
from django.shortcuts import render

from challenges.selectors import lessons
from groups.models import Group

from .filters import LessonFilter, context_closeness

PAGE_SIZE = 20


def _reader_group(request):
    """The group whose context orders the lessons: ?for=<slug>, else the reader's first group."""
    slug = request.GET.get("for", "")[:140]
    if slug:
        return Group.objects.filter(slug=slug).first()
    if request.user.is_authenticated:
        return Group.objects.filter(memberships__user=request.user).order_by("memberships__created_at").first()
    return None


def index(request):
    """The lessons library: lessons learned, closest local contexts first."""
    reader_group = _reader_group(request)
    queryset = lessons().select_related("solution__challenge_area")
    filterset = LessonFilter(request.GET or None, queryset=queryset)
    status = 400 if filterset.is_bound and not filterset.is_valid() else 200
    results = filterset.qs
    explicit_order = getattr(filterset.form, "cleaned_data", {}).get("sort") or getattr(
        filterset.form, "cleaned_data", {}
    ).get("q")
    if reader_group is not None and not explicit_order:
        results = results.annotate(closeness=context_closeness(reader_group)).order_by(
            "-closeness", "-published_at", "-pk"
        )
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/index.html",
        {"filter": filterset, "page": page, "reader_group": reader_group},
        status=status,
    )
