"""Atom feeds of published progress updates: all of them, and one group's."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from groups.models import Group

from . import selectors

FEED_LENGTH = 50


class LatestUpdatesFeed(Feed):
    """The newest published updates of published solutions, across all groups (none hidden: see
    selectors.published_updates)."""

    feed_type = Atom1Feed

    def title(self):
        return _("Localism: progress updates")

    def subtitle(self):
        return _("What local groups did, measured and learned, newest first.")

    def link(self):
        return reverse("challenges:index")

    def feed_url(self):
        return reverse("challenges:feed_updates")

    def items(self):
        return selectors.updates_for_feed(limit=FEED_LENGTH)

    def item_title(self, update):
        # Translators: a feed entry's title: the solution's title, then the update's.
        return _("%(solution)s: %(update)s") % {"solution": update.solution.title, "update": update.title}

    def item_description(self, update):
        # Sanitised HTML; the feed generator escapes it into the Atom summary (type="html").
        return update.body_html

    def item_link(self, update):
        return update.get_absolute_url()

    def item_pubdate(self, update):
        return update.published_at

    def item_updateddate(self, update):
        return update.updated_at

    def item_author_name(self, update):
        return update.solution.group.name

    def item_categories(self, update):
        return [update.solution.group.name]


class GroupUpdatesFeed(LatestUpdatesFeed):
    """One group's published updates; none (404) for a group the moderators have hidden."""

    def get_object(self, request, group_slug):
        return get_object_or_404(Group.objects.visible(), slug=group_slug)

    def title(self, group):
        return _("Localism: progress updates from %(group)s") % {"group": group.name}

    def subtitle(self, group):
        return group.summary

    def link(self, group):
        return group.get_absolute_url()

    def feed_url(self, group):
        return reverse("challenges:feed_group", kwargs={"group_slug": group.slug})

    def items(self, group):
        return selectors.updates_for_feed(group=group, limit=FEED_LENGTH)
