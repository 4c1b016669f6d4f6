from django.urls import path
from django.views.decorators.http import require_safe

from core.caching import cache_for_anonymous

from .feeds import GroupActionsFeed
from .views import actions, browse, listing, manage, me, nearby

app_name = "groups"
urlpatterns = [
    path("", require_safe(cache_for_anonymous(listing.group_list)), name="list"),
    path("map/", require_safe(cache_for_anonymous(listing.group_map)), name="map"),
    path("map/data/", require_safe(cache_for_anonymous(listing.group_map_data)), name="map_data"),
    # Before "<slug:slug>/": these first segments are reserved (services.RESERVED_SLUGS).
    path("new/", manage.group_create, name="create"),
    # A token is made by secrets.token_urlsafe (letters, digits, - and _: the slug converter), so junk never
    # reaches the query.
    path("invitations/<slug:token>/", manage.accept_invitation, name="accept_invitation"),
    path("near/", require_safe(nearby.nearby_page), name="nearby"),
    path("me/", require_safe(me.me), name="me"),
    path("unsubscribe/<str:token>/", me.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/", require_safe(cache_for_anonymous(browse.group_detail)), name="detail"),
    path("<slug:slug>/edit/", manage.group_edit, name="edit"),
    path("<slug:slug>/leave/", manage.leave_group, name="leave"),
    path("<slug:slug>/members/", require_safe(manage.group_members), name="members"),
    path("<slug:slug>/members/invite/", manage.invite_organiser, name="invite"),
    path("<slug:slug>/members/<int:membership_id>/role/", manage.change_role, name="change_role"),
    path("<slug:slug>/members/<int:membership_id>/remove/", manage.remove_member, name="remove_member"),
    path("<slug:slug>/members/<int:membership_id>/make-owner/", manage.transfer_ownership, name="transfer_ownership"),
    path("<slug:slug>/join/", me.join_group, name="join"),
    path("<slug:slug>/follow/", me.follow_group, name="follow"),
    path("<slug:slug>/unfollow/", me.unfollow_group, name="unfollow"),
    path("<slug:slug>/actions.ics", require_safe(actions.group_actions_ics), name="actions_ics"),
    path("<slug:slug>/actions/feed/", require_safe(GroupActionsFeed()), name="actions_feed"),
    path("<slug:slug>/actions/new/", actions.action_create, name="action_create"),
    path("<slug:slug>/actions/<int:pk>/", require_safe(actions.action_detail), name="action"),
    path("<slug:slug>/actions/<int:pk>/edit/", actions.action_edit, name="action_edit"),
    path("<slug:slug>/actions/<int:pk>/sign-up/", actions.action_signup, name="action_signup"),
    path("<slug:slug>/actions/<int:pk>/cancel-sign-up/", actions.action_cancel_signup, name="action_cancel_signup"),
    path("<slug:slug>/actions/<int:pk>/attendees/", require_safe(actions.action_attendees), name="action_attendees"),
    path("<slug:slug>/actions/<int:pk>/attendees.csv", require_safe(actions.action_attendees_csv), name="action_attendees_csv"),
    path("<slug:slug>/actions/<int:pk>/calendar.ics", require_safe(actions.action_ics), name="action_ics"),
]
