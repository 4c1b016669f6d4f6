from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("data/", views.my_data, name="my_data"),
    path("data/download/", views.my_data_download, name="my_data_download"),
    path("delete/", views.delete_account, name="delete"),
    path("home-area/", views.save_home_area, name="save_home_area"),
]
