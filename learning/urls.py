from django.urls import path
from django.views.decorators.http import require_safe

from core.caching import cache_for_anonymous

from . import views

app_name = "learning"
urlpatterns = [
    path("", require_safe(cache_for_anonymous(views.index)), name="index"),
    path("groups/<slug:slug>/", require_safe(cache_for_anonymous(views.group_learning)), name="group"),
    path("groups/<slug:slug>/ask/", views.ask, name="ask"),
    path("groups/<slug:slug>/connections/", require_safe(views.group_connections), name="group_connections"),
    path("connections/<int:pk>/", views.connection_detail, name="connection"),
    path("connections/<int:pk>/respond/", views.respond, name="respond"),
    path("connections/<int:pk>/block/", views.block, name="block"),
]
