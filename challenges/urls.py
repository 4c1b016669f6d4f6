from django.urls import path

from .views import browse, solutions

app_name = "challenges"
urlpatterns = [
    path("", browse.index, name="index"),
    path("solutions/", browse.solution_list, name="solution_list"),
    path("solutions/<slug:group_slug>/<slug:slug>/", solutions.solution_detail, name="solution"),
    path("solutions/<slug:group_slug>/<slug:slug>/updates/<int:pk>/", solutions.update_detail, name="update"),
]
