from django.urls import path

from .views import browse, listing, manage

app_name = "groups"
urlpatterns = [
    path("", listing.group_list, name="list"),
    path("map/", listing.group_map, name="map"),
    # Before "<slug:slug>/": these first segments are reserved (services.RESERVED_SLUGS).
    path("new/", manage.group_create, name="create"),
    path("invitations/<str:token>/", manage.accept_invitation, name="accept_invitation"),
    path("<slug:slug>/", browse.group_detail, name="detail"),
    path("<slug:slug>/edit/", manage.group_edit, name="edit"),
    path("<slug:slug>/leave/", manage.leave_group, name="leave"),
    path("<slug:slug>/members/", manage.group_members, name="members"),
    path("<slug:slug>/members/invite/", manage.invite_organiser, name="invite"),
    path("<slug:slug>/members/<int:membership_id>/role/", manage.change_role, name="change_role"),
    path("<slug:slug>/members/<int:membership_id>/remove/", manage.remove_member, name="remove_member"),
    path("<slug:slug>/members/<int:membership_id>/make-owner/", manage.transfer_ownership, name="transfer_ownership"),
]
