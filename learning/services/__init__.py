"""Writes of the learning app: context vectors and precomputed peer lists.

`rebuild_all_peers` refits the text model and recomputes everything; `recompute_peers_for_group`
brings one changed group's vector and list up to date, and the lists of the groups it now enters
or leaves. Both are idempotent: running them again with the same data writes the same rows.

What the moderators have hidden is not matched: a hidden group gets no vector and no peers and is in
nobody's list; a hidden solution or update adds nothing to its group's text, tags or progress.

- `features`: reading each group's features (`load_features`).
- `store`: the peer rows and vectors as stored, the peer table swap, COPY, the rebuild lock, and
  `PEERS_PER_GROUP`.
- `index`: this process's copy of all stored vectors.
- `rebuild`: the full rebuild.
- `incremental`: one group's update.
"""

from .features import load_features
from .incremental import recompute_peers_for_group
from .rebuild import rebuild_all_peers

__all__ = ["load_features", "rebuild_all_peers", "recompute_peers_for_group"]
