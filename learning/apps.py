from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"

    def ready(self):
        from groups.signals import group_context_changed

        from .receivers import enqueue_peer_recompute

        group_context_changed.connect(enqueue_peer_recompute, dispatch_uid="learning.enqueue_peer_recompute")
