"""The project's URLs plus one view that fails, to check the 500 page."""

from django.urls import path

from localism.urls import handler400, handler403, handler404, handler429, handler500, urlpatterns  # noqa: F401


def broken_view(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [*urlpatterns, path("broken/", broken_view)]
