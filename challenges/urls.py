from django.urls import path
from django.views.decorators.http import require_safe

from core.caching import cache_for_anonymous

from .feeds import GroupUpdatesFeed, LatestUpdatesFeed
from .views import awards, browse, dashboard, funders, reviews, solutions

app_name = "challenges"
urlpatterns = [
    path("", require_safe(cache_for_anonymous(browse.index)), name="index"),
    path("solutions/", require_safe(cache_for_anonymous(browse.solution_list)), name="solution_list"),
    # "new/" comes before the solution pattern; the services never give a solution that slug.
    path("solutions/<slug:group_slug>/new/", solutions.solution_create, name="solution_create"),
    path("solutions/<slug:group_slug>/<slug:slug>/", require_safe(cache_for_anonymous(solutions.solution_detail)), name="solution"),
    path("solutions/<slug:group_slug>/<slug:slug>/edit/", solutions.solution_edit, name="solution_edit"),
    path("solutions/<slug:group_slug>/<slug:slug>/updates/new/", solutions.update_create, name="update_create"),
    path(
        "solutions/<slug:group_slug>/<slug:slug>/updates/<int:pk>/",
        require_safe(cache_for_anonymous(solutions.update_detail)),
        name="update",
    ),
    path("solutions/<slug:group_slug>/<slug:slug>/updates/<int:pk>/edit/", solutions.update_edit, name="update_edit"),
    path("feeds/updates/", require_safe(LatestUpdatesFeed()), name="feed_updates"),
    path("feeds/groups/<slug:group_slug>/", require_safe(GroupUpdatesFeed()), name="feed_group"),
    # Funder challenges. The fixed paths above come first; the services never give a challenge their names.
    path("new/", funders.challenge_create, name="challenge_create"),
    path("funders/<slug:slug>/", require_safe(funders.funder_detail), name="funder"),
    path("<slug:slug>/", require_safe(cache_for_anonymous(funders.challenge_detail)), name="challenge"),
    path("<slug:slug>/edit/", funders.challenge_edit, name="challenge_edit"),
    path("<slug:slug>/stage/", funders.challenge_stage, name="challenge_stage"),
    path("<slug:slug>/stage/back/", funders.challenge_stage_back, name="challenge_stage_back"),
    path("<slug:slug>/enter/<slug:group_slug>/", funders.entry_create, name="entry_create"),
    path("<slug:slug>/entries/<int:pk>/", require_safe(funders.entry_detail), name="entry"),
    path("<slug:slug>/entries/<int:pk>/edit/", funders.entry_edit, name="entry_edit"),
    path("<slug:slug>/entries/<int:pk>/score/", reviews.entry_score, name="entry_score"),
    path("<slug:slug>/entries/<int:pk>/status/", reviews.entry_status, name="entry_status"),
    path("<slug:slug>/entries/<int:pk>/awards/new/", awards.award_create, name="award_create"),
    path("<slug:slug>/awards/<int:pk>/edit/", awards.award_edit, name="award_edit"),
    path("<slug:slug>/awards/<int:pk>/remove/", awards.award_remove, name="award_remove"),
    path("<slug:slug>/awards/360giving.json", require_safe(awards.awards_360giving_json), name="awards_360giving_json"),
    path("<slug:slug>/awards/360giving.csv", require_safe(awards.awards_360giving_csv), name="awards_360giving_csv"),
    path("<slug:slug>/review/", require_safe(reviews.review_list), name="review"),
    path("<slug:slug>/review/export.csv", require_safe(reviews.review_export), name="review_export"),
    path("<slug:slug>/dashboard/", require_safe(dashboard.challenge_dashboard), name="dashboard"),
]
