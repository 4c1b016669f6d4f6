from django.urls import path

from .feeds import GroupUpdatesFeed, LatestUpdatesFeed
from .views import browse, solutions

app_name = "challenges"
urlpatterns = [
    path("", browse.index, name="index"),
    path("solutions/", browse.solution_list, name="solution_list"),
    # "new/" comes before the solution pattern; the services never give a solution that slug.
    path("solutions/<slug:group_slug>/new/", solutions.solution_create, name="solution_create"),
    path("solutions/<slug:group_slug>/<slug:slug>/", solutions.solution_detail, name="solution"),
    path("solutions/<slug:group_slug>/<slug:slug>/edit/", solutions.solution_edit, name="solution_edit"),
    path("solutions/<slug:group_slug>/<slug:slug>/updates/new/", solutions.update_create, name="update_create"),
    path("solutions/<slug:group_slug>/<slug:slug>/updates/<int:pk>/", solutions.update_detail, name="update"),
    path("solutions/<slug:group_slug>/<slug:slug>/updates/<int:pk>/edit/", solutions.update_edit, name="update_edit"),
    path("feeds/updates/", LatestUpdatesFeed(), name="feed_updates"),
    path("feeds/groups/<slug:group_slug>/", GroupUpdatesFeed(), name="feed_group"),
]
