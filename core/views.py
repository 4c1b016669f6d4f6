"""Views any app may use: the site's error page."""

from django.shortcuts import render


def error_page(request, status, title, message):
    """Our error page with a status, a title and a message people can act on."""
    return render(request, "error.html", {"status": status, "title": title, "message": message}, status=status)
