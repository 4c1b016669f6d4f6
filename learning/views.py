from django.core.paginator import Paginator
from django.shortcuts import render

from challenges.selectors import lessons


def index(request):
    page = Paginator(lessons().order_by("-published_at"), 20).get_page(request.GET.get("page"))
    return render(request, "learning/index.html", {"page": page})
