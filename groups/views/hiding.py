"""Hidden content on detail pages: who still sees it, and what the page tells them.

Moderators hide an item by setting its `hidden_at` and `hidden_reason` (core.hiding). A hidden group
hides everything under it, and a hidden solution its updates. Everyone gets a 404 for such a page except
the people who answer for it (the owners and organisers of its group) and site moderators, who see it
with a banner (templates/groups/_hidden_banner.html) saying why, and a link to appeal.

Used by the detail views of groups, challenges and learning (which may import from groups).
"""

from dataclasses import dataclass

from django.http import Http404

from core.hiding import shown_hidden_reason

from ..permissions import can_see_hidden


@dataclass(frozen=True)
class HiddenPart:
    """What hides a page: `item` (of moderation kind `kind`) is hidden; `own` says it is the page's own item
    rather than the solution or group it belongs to."""

    kind: str
    item: object
    own: bool

    @property
    def reason(self):
        return shown_hidden_reason(self.item.hidden_reason)


def hidden_or_404(user, *parts, group, also: bool = False) -> HiddenPart | None:
    """The first hidden one of `parts` — (kind, item) pairs from the page's own item up to its group — or None.

    Raises Http404 if one is hidden and `user` may not see hidden content of `group`.
    """
    for index, (kind, item) in enumerate(parts):
        if item.hidden_at is not None:
            if not can_see_hidden(user, group, also=also):
                raise Http404("No such page.")
            return HiddenPart(kind=kind, item=item, own=index == 0)
    return None
