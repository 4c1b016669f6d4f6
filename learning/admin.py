from django.contrib import admin

from .models import GroupVector, Peer, TextModel


@admin.register(Peer)
class PeerAdmin(admin.ModelAdmin):
    list_display = ["group", "rank", "peer", "score", "place_score", "approach_score", "ahead_score", "computed_at"]
    list_select_related = ["group", "peer"]
    raw_id_fields = ["group", "peer"]
    search_fields = ["group__name", "peer__name"]
    readonly_fields = ["computed_at"]


@admin.register(GroupVector)
class GroupVectorAdmin(admin.ModelAdmin):
    list_display = ["group", "progress", "kth_score", "updated_at"]
    list_select_related = ["group"]
    raw_id_fields = ["group"]
    readonly_fields = ["facts", "progress", "kth_score", "updated_at"]
    exclude = ["vector"]


@admin.register(TextModel)
class TextModelAdmin(admin.ModelAdmin):
    list_display = ["fitted_at", "documents", "terms"]
    exclude = ["data"]
    readonly_fields = ["fitted_at", "documents", "terms"]
