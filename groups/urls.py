from django.urls import path

from .views import browse, listing

app_name = "groups"
urlpatterns = [
    path("", listing.group_list, name="list"),
    path("map/", listing.group_map, name="map"),
    path("<slug:slug>/", browse.group_detail, name="detail"),
]
