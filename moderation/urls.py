from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("report/<str:kind>/<int:pk>/", views.report, name="report"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/decide/", views.decide, name="decide"),
    path("items/<str:kind>/<int:pk>/", views.item, name="item"),
    path("my-reports/", views.my_reports, name="my_reports"),
    path("people/<int:pk>/suspension/", views.suspend, name="suspend"),
    path("log/", views.log, name="log"),
]
