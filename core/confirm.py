"""Asking once more before a step that is hard to take back: the first POST shows what will happen, with a
button that posts the same form again with `confirm=yes` and a way back; only that confirmed POST acts.

Used for handing over a group, leaving one, and moving a challenge's stage, so all of them look and behave
alike (templates/confirm.html)."""

from collections.abc import Mapping, Sequence

from django.shortcuts import render


def confirmed(request) -> bool:
    return request.POST.get("confirm") == "yes"


def confirm_page(
    request,
    *,
    title: str,
    consequences: Sequence[str],
    button: str,
    cancel: str,
    carry: Mapping[str, str] | None = None,
    danger: bool = False,
):
    """The page that asks: `title` as its heading, each consequence a paragraph (the first as the lead),
    `button` to go ahead and "No, go back" to `cancel`. `carry` is the data of the first POST, posted again
    with the confirmation (hidden fields; the view checks it again as it checked it the first time)."""
    context = {
        "title": title,
        "consequences": consequences,
        "button": button,
        "cancel": cancel,
        "carry": sorted((carry or {}).items()),
        "danger": danger,
        "action": request.path,
    }
    return render(request, "confirm.html", context)
