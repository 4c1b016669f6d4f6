"""Peers follow what a group writes: publishing, editing, unpublishing, hiding or deleting a solution or an
update recomputes the group's list and the lists it enters or leaves, on commit, with no rebuild."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from challenges import services as challenge_services
from challenges.models import Solution, Status, Update
from groups.models import Group
from learning import services
from learning.models import Peer
from learning.services import store
from moderation.models import Case
from tests.challenges.conftest import solution_post, update_post
from tests.factories import SolutionFactory, UpdateFactory, UserFactory

from .factories import YOUTH, area
from .test_services import peer_ids, two_clusters

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(monkeypatch, group):
    """Two clusters of three with lists of two, and the organiser's group placed like the urban one but
    with nothing written yet: it is in no urban group's list."""
    monkeypatch.setattr(store, "PEERS_PER_GROUP", 2)
    _, urban = two_clusters()
    Group.objects.filter(pk=group.pk).update(
        area_kind="urban", deprivation_decile=8, population=200_000, region="london", summary="", description=""
    )
    group.challenge_areas.set([area("youth")])
    services.rebuild_all_peers()
    assert all(group.pk not in peer_ids(u) for u in urban)
    assert not terms_between(group, urban[0])
    return urban


def terms_between(group, peer):
    """The shared phrases quoted in `group`'s list for `peer` ([] if none or not listed)."""
    row = Peer.objects.filter(group=group, peer=peer).values_list("reasons", flat=True).first()
    return (row or {}).get("terms", [])


def assert_matched(group, urban):
    u1, _, u3 = urban
    assert group.pk in peer_ids(u1) and group.pk in peer_ids(u3)  # it entered their lists
    assert set(peer_ids(group)) == {u1.pk, u3.pk}
    assert terms_between(group, u1) and terms_between(u1, group)  # both lists quote what they share


def assert_unmatched(group, urban):
    assert all(group.pk not in peer_ids(u) for u in urban)  # it left their lists
    assert all(not terms_between(group, u) for u in urban)


YOUTH_CLUB = {"problem": YOUTH, "approach": "Football and music.", "why_here": "Nothing else opens at night."}


def publish_youth_club(client, group, organiser, django_capture_on_commit_callbacks, **overrides):
    client.force_login(organiser)
    data = solution_post(area("youth"), tags="Club", **YOUTH_CLUB, **overrides)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("challenges:solution_create", kwargs={"group_slug": group.slug}), data)
    assert response.status_code == 302
    return Solution.objects.get(group=group)


def edit(client, solution, django_capture_on_commit_callbacks, **overrides):
    url = reverse("challenges:solution_edit", kwargs={"group_slug": solution.group.slug, "slug": solution.slug})
    data = solution_post(area("youth"), tags="Club", **YOUTH_CLUB, version=solution.version)
    data.update(overrides)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    solution.refresh_from_db()


def test_publishing_a_solution_puts_the_group_in_its_peers_lists_and_unpublishing_takes_it_out(
    client, group, organiser, city, django_capture_on_commit_callbacks
):
    solution = publish_youth_club(client, group, organiser, django_capture_on_commit_callbacks)
    assert_matched(group, city)

    edit(client, solution, django_capture_on_commit_callbacks, status="draft")
    assert_unmatched(group, city)

    edit(client, solution, django_capture_on_commit_callbacks, status="published")
    assert_matched(group, city)


def test_a_draft_counts_only_once_published(client, group, organiser, city, django_capture_on_commit_callbacks):
    solution = publish_youth_club(client, group, organiser, django_capture_on_commit_callbacks, status="draft")
    assert_unmatched(group, city)
    edit(client, solution, django_capture_on_commit_callbacks, status="published")
    assert_matched(group, city)


def test_editing_the_text_away_moves_the_group_out_again(
    client, group, organiser, city, django_capture_on_commit_callbacks
):
    solution = publish_youth_club(client, group, organiser, django_capture_on_commit_callbacks)
    assert_matched(group, city)
    edit(
        client,
        solution,
        django_capture_on_commit_callbacks,
        problem="Older residents live in draughty homes.",
        approach="We fit draught excluders.",
        why_here="Terraces here are old.",
        tags="Energy",
        challenge_area=str(area("fuel-poverty").pk),
    )
    assert_unmatched(group, city)


def test_deleting_the_solution_takes_the_group_out_of_the_lists(
    client, group, organiser, city, django_capture_on_commit_callbacks
):
    solution = publish_youth_club(client, group, organiser, django_capture_on_commit_callbacks)
    assert_matched(group, city)
    with django_capture_on_commit_callbacks(execute=True):
        solution.delete()
    assert_unmatched(group, city)


def test_a_moderator_hiding_the_solution_takes_the_group_out_and_restoring_puts_it_back(
    client, group, organiser, city, django_capture_on_commit_callbacks
):
    solution = publish_youth_club(client, group, organiser, django_capture_on_commit_callbacks)
    assert_matched(group, city)
    client.force_login(UserFactory())
    client.post(reverse("moderation:report", kwargs={"kind": "solution", "pk": solution.pk}), {"reason": "spam"})
    case = Case.objects.get()
    client.force_login(UserFactory(is_moderator=True))
    decide = reverse("moderation:decide", kwargs={"pk": case.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(decide, {"decision": "hide", "reason": "Advertising."}).status_code == 302
    assert_unmatched(group, city)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(decide, {"decision": "restore", "reason": ""}).status_code == 302
    assert_matched(group, city)


def stored_progress(group):
    return dict(Peer.objects.filter(peer=group).values_list("group_id", "reasons"))


def test_posting_editing_and_deleting_an_update_with_lessons_refreshes_the_peers_view_of_it(
    client, group, organiser, city, django_capture_on_commit_callbacks
):
    """Updates count as progress: the lists the group is in say it is further along, and stop saying so."""
    solution = publish_youth_club(client, group, organiser, django_capture_on_commit_callbacks, stage="idea")
    u1 = city[0]
    assert "ahead" not in stored_progress(group)[u1.pk]
    url = reverse("challenges:update_create", kwargs={"group_slug": group.slug, "slug": solution.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, update_post(what_worked="Asking the young people what they wanted."))
    assert response.status_code == 302
    assert stored_progress(group)[u1.pk]["ahead"]["updates"] == 1

    update = Update.objects.get(solution=solution)
    edit_url = reverse(
        "challenges:update_edit", kwargs={"group_slug": group.slug, "slug": solution.slug, "pk": update.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url, update_post(status="draft", what_worked="Asking them."))
    assert response.status_code == 302
    assert "ahead" not in stored_progress(group)[u1.pk]

    second = UpdateFactory(solution=solution)
    with django_capture_on_commit_callbacks(execute=True):
        challenge_services.edit_update(update=update, title="Back", body="Published again.", status=Status.PUBLISHED)
    assert stored_progress(group)[u1.pk]["ahead"]["updates"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert stored_progress(group)[u1.pk]["ahead"]["updates"] == 1


def test_deleting_a_solution_with_many_updates_recomputes_its_group_once(group, django_capture_on_commit_callbacks):
    """A cascade deletes each update before its solution: one recompute for the group, not one per row, and
    a number of queries that does not grow with the updates."""
    from groups.signals import group_context_changed

    def delete_with(updates):
        solution = SolutionFactory(group=group, status=Status.PUBLISHED)
        UpdateFactory.create_batch(updates, solution=solution, status=Status.PUBLISHED)
        sent = []

        def listen(sender, *, group_id, **kwargs):
            sent.append(group_id)

        group_context_changed.connect(listen)
        try:
            with (
                django_capture_on_commit_callbacks(execute=True),
                CaptureQueriesContext(connection) as queries,
                transaction.atomic(),
            ):
                solution.delete()
        finally:
            group_context_changed.disconnect(listen)
        return sent, len(queries)

    sent_two, queries_two = delete_with(2)
    sent_eight, queries_eight = delete_with(8)
    assert sent_two == [group.pk] and sent_eight == [group.pk]
    assert queries_eight == queries_two


def test_a_rolled_back_change_announces_nothing_and_the_next_one_still_does(group, django_capture_on_commit_callbacks):
    from groups.signals import announce_group_context_changed, group_context_changed

    sent = []

    def listen(sender, *, group_id, **kwargs):
        sent.append(group_id)

    group_context_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            announce_group_context_changed(group.pk)
            with transaction.atomic():  # a savepoint rolled back: what it announced may be kept or not
                announce_group_context_changed(group.pk + 1000)
                transaction.set_rollback(True)
            announce_group_context_changed(group.pk)
        assert sent[0] == group.pk and sent.count(group.pk) == 1
        sent.clear()
        try:
            with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
                announce_group_context_changed(group.pk)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        assert sent == []
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            announce_group_context_changed(group.pk)
        assert sent == [group.pk]
    finally:
        group_context_changed.disconnect(listen)
