from django.urls import path

from .views import browse

app_name = "groups"
urlpatterns = [
    path("", browse.group_list, name="list"),
    path("<slug:slug>/", browse.group_detail, name="detail"),
]
