from django.urls import path
from django.views.decorators.http import require_safe

from . import views

app_name = "moderation"
urlpatterns = [
    path("", require_safe(views.queue), name="queue"),
    path("report/<str:kind>/<int:pk>/", views.report, name="report"),
    path("cases/<int:pk>/", require_safe(views.case), name="case"),
    path("cases/<int:pk>/decide/", views.decide, name="decide"),
    path("items/<str:kind>/<int:pk>/", views.item, name="item"),
    path("my-reports/", require_safe(views.my_reports), name="my_reports"),
    path("people/<int:pk>/suspension/", views.suspend, name="suspend"),
    path("log/", require_safe(views.log), name="log"),
]
