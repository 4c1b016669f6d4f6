from django.urls import path

from . import views

app_name = "challenges"
urlpatterns = [
    path("", views.index, name="index"),
    path("solutions/<slug:group_slug>/<slug:slug>/", views.solution_detail, name="solution"),
    path("solutions/<slug:group_slug>/<slug:slug>/updates/<int:pk>/", views.update_detail, name="update"),
]
