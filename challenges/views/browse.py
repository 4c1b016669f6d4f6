from django.shortcuts import render

from .. import selectors


def index(request):
    return render(
        request,
        "challenges/index.html",
        {"areas": selectors.challenge_area_summary(), "solutions": selectors.published_solutions()[:20]},
    )
