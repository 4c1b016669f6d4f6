"""This process's copy of every stored context vector, for incremental updates."""

import threading
from datetime import timedelta

import numpy as np
from django.utils import timezone

from ..matching import text
from ..matching.vectors import DIM
from ..models import GroupVector, TextModel


class VectorIndex:
    """This process's copy of all context vectors, refreshed from GroupVector rows changed lately.

    Loading 100k vectors takes about a second; after that an incremental update reads only the rows
    changed in the last REFRESH_LAG (which also covers other workers' commits landing late).
    """

    REFRESH_LAG = timedelta(seconds=10)

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        self.key = None
        self.model = None
        self.size = 0
        self.ids = np.zeros(0, dtype=np.int64)
        self.vectors = np.zeros((0, DIM), dtype=np.float32)
        self.kth = np.zeros(0, dtype=np.float32)
        self.alive = np.zeros(0, dtype=bool)
        self.position = {}
        self.stamps = {}
        self.seen_at = None

    def text_model(self, model_row):
        if self.model is None or self.key != model_row:
            self.reset()
            self.key = model_row
            self.model = text.TextModel.from_bytes(TextModel.objects.get(pk=model_row[0]).data)
        return self.model

    def forget(self, group_id):
        if group_id in self.position:
            self.alive[self.position[group_id]] = False

    def refreshed(self, model_row):
        with self._lock:
            started = timezone.now()
            queryset = GroupVector.objects.all()
            if self.seen_at is not None:
                # Only stamps first: vectors are read again only for rows that changed since we saw them.
                recent = queryset.filter(updated_at__gte=self.seen_at - self.REFRESH_LAG)
                changed = [
                    group_id
                    for group_id, stamp in recent.values_list("group_id", "updated_at")
                    if self.stamps.get(group_id) != stamp
                ]
                queryset = queryset.filter(group_id__in=changed) if changed else queryset.none()
            for group_id, vector, kth, stamp in queryset.values_list(
                "group_id", "vector", "kth_score", "updated_at"
            ).iterator(chunk_size=10_000):
                vector = np.frombuffer(bytes(vector), dtype="<f4")
                if len(vector) != DIM:  # written before the vector's layout changed: the rebuild redoes it
                    continue
                row = self.put(group_id, vector)
                self.kth[row] = np.nan if kth is None else kth
                self.stamps[group_id] = stamp
            self.seen_at = started
        return self

    def put(self, group_id, vector):
        row = self.position.get(group_id)
        if row is None:
            if self.size == len(self.ids):
                self._grow(max(1024, 2 * self.size))
            row = self.size
            self.size += 1
            self.ids[row] = group_id
            self.position[group_id] = row
            self.kth[row] = np.nan
        self.vectors[row] = vector
        self.alive[row] = True
        return row

    def _grow(self, capacity):
        def grown(array, fill):
            bigger = np.full((capacity, *array.shape[1:]), fill, dtype=array.dtype)
            bigger[: len(array)] = array
            return bigger

        self.ids = grown(self.ids, -1)
        self.vectors = grown(self.vectors, 0)
        self.kth = grown(self.kth, np.nan)
        self.alive = grown(self.alive, False)


VECTOR_INDEX = VectorIndex()
