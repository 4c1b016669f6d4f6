"""Challenges, entries and reviews through the HTTP client, including bad input."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from challenges.models import Challenge, ChallengeStage, Entry, Score, StageChange

from ..factories import ChallengeAreaFactory, GroupFactory, SolutionFactory
from .factories import EntryFactory, ScoreFactory


def challenge_post(**overrides):
    area = ChallengeAreaFactory(slug="climate", name="Climate")
    data = {
        "title": "Warm Homes Challenge",
        "summary": "Cut fuel poverty.",
        "description": "Groups **cut** bills.",
        "challenge_areas": [area.pk],
        "offer": "£50,000 in grants.",
        "offer_total": "50000",
        "publish_entries": "shortlisted",
        "0-name": "Impact",
        "0-weight": "3",
        "1-name": "Learning shared",
        "1-weight": "1",
        "0-text": "Who is involved?",
    }
    data.update(overrides)
    return data


def test_funder_member_creates_a_draft_only_members_see(client, funder, funder_user, stranger):
    client.force_login(funder_user)
    response = client.post(reverse("challenges:challenge_create"), challenge_post(funder=funder.pk))
    challenge = Challenge.objects.get()
    assert response.status_code == 302 and response["Location"] == challenge.get_absolute_url()
    assert challenge.stage == "draft" and challenge.criteria.count() == 2
    assert client.get(challenge.get_absolute_url()).status_code == 200
    client.force_login(stranger)
    assert client.get(challenge.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(challenge.get_absolute_url()).status_code == 404


def test_bad_weight_is_refused_with_a_message_and_the_text_kept(client, funder, funder_user):
    client.force_login(funder_user)
    response = client.post(
        reverse("challenges:challenge_create"), challenge_post(funder=funder.pk, **{"0-weight": "0"})
    )
    assert response.status_code == 400
    assert "Weights are whole numbers from 1 to 100." in response.content.decode()
    assert 'value="Warm Homes Challenge"' in response.content.decode()
    assert not Challenge.objects.exists()


def test_stage_moves_on_with_a_confirmed_post_and_refuses_out_of_order(client, funder_user, challenge):
    # The confirmation step, taking back and bad forms: tests/funders/test_challenge_stage.py.
    client.force_login(funder_user)
    url = reverse("challenges:challenge_stage", kwargs={"slug": challenge.slug})
    response = client.post(url, {"to_stage": "winners", "from_stage": "open", "confirm": "yes"})
    assert response.status_code == 409
    assert "it can only move on to “Shortlisting”" in response.content.decode()
    response = client.post(url, {"to_stage": "shortlisting", "from_stage": "open", "confirm": "yes"}, follow=True)
    assert response.status_code == 200
    assert "Shortlisting" in response.content.decode()
    assert StageChange.objects.get().to_stage == "shortlisting"
    assert client.get(url).status_code == 405
    assert client.post(url, {"to_stage": "nonsense", "from_stage": "shortlisting"}).status_code == 400


def test_group_owner_enters_and_edits_until_the_deadline(client, challenge, entrant, solution):
    client.force_login(entrant)
    question = challenge.questions.get()
    url = reverse("challenges:entry_create", kwargs={"slug": challenge.slug, "group_slug": solution.group.slug})
    response = client.post(url, {"solution": solution.pk, f"answer_{question.pk}": "Volunteers from the church"})
    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert "Volunteers from the church" in client.get(entry.get_absolute_url()).content.decode()

    Challenge.objects.filter(pk=challenge.pk).update(entry_deadline=timezone.now() - dt.timedelta(hours=1))
    edit = reverse("challenges:entry_edit", kwargs={"slug": challenge.slug, "pk": entry.pk})
    response = client.post(edit, {f"answer_{question.pk}": "Changed"})
    assert response.status_code == 409
    assert "Entries can no longer be changed: the entry deadline was" in response.content.decode()
    assert entry.answers.get().text == "Volunteers from the church"
    other = SolutionFactory(group=solution.group)
    response = client.post(url, {"solution": other.pk, f"answer_{question.pk}": "Late"})
    assert response.status_code == 409 and Entry.objects.count() == 1


def test_missing_answer_is_refused_and_typed_text_kept(client, challenge, entrant, solution):
    client.force_login(entrant)
    url = reverse("challenges:entry_create", kwargs={"slug": challenge.slug, "group_slug": solution.group.slug})
    response = client.post(url, {"solution": "", f"answer_{challenge.questions.get().pk}": "Our volunteers"})
    assert response.status_code == 400
    assert "Our volunteers" in response.content.decode()
    assert not Entry.objects.exists()


def test_ineligible_group_sees_why(client, challenge, entrant, solution):
    Challenge.objects.filter(pk=challenge.pk).update(eligible_area_kinds=["island"])
    client.force_login(entrant)
    url = reverse("challenges:entry_create", kwargs={"slug": challenge.slug, "group_slug": solution.group.slug})
    response = client.get(url)
    assert "open to island areas only" in response.content.decode()
    response = client.post(url, {"solution": solution.pk, f"answer_{challenge.questions.get().pk}": "Us"})
    assert response.status_code == 400 and not Entry.objects.exists()


def test_entry_is_private_until_published(client, challenge, stranger, member):
    entry = EntryFactory(challenge=challenge, solution=SolutionFactory(group=member.memberships.get().group))
    client.force_login(stranger)
    assert client.get(entry.get_absolute_url()).status_code == 404
    client.force_login(member)
    assert client.get(entry.get_absolute_url()).status_code == 200
    Challenge.objects.filter(pk=challenge.pk).update(publish_entries="all")
    client.force_login(stranger)
    assert client.get(entry.get_absolute_url()).status_code == 200
    assert entry.solution.title in client.get(challenge.get_absolute_url()).content.decode()


def test_scores_and_notes_are_for_the_funder_only(client, challenge, funder_user, member):
    entry = EntryFactory(challenge=challenge, solution=SolutionFactory(group=member.memberships.get().group))
    ScoreFactory(entry=entry, reviewer=funder_user, note="Secret reviewer note")
    client.force_login(funder_user)
    assert "Secret reviewer note" in client.get(entry.get_absolute_url()).content.decode()
    client.force_login(member)
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "Secret reviewer note" not in page and "Weighted score" not in page
    url = reverse("challenges:entry_score", kwargs={"slug": challenge.slug, "pk": entry.pk})
    assert client.post(url, {}).status_code == 403


def test_score_out_of_range_is_refused_with_the_text_kept(client, challenge, funder_user):
    entry = EntryFactory(challenge=challenge)
    impact, ownership = challenge.criteria.all()
    client.force_login(funder_user)
    url = reverse("challenges:entry_score", kwargs={"slug": challenge.slug, "pk": entry.pk})
    response = client.post(url, {f"score_{impact.pk}": "7", f"note_{impact.pk}": "Strong carbon figures"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Scores are whole numbers from 1 to 5." in body and "Strong carbon figures" in body and 'value="7"' in body
    assert not Score.objects.exists()
    response = client.post(url, {f"score_{impact.pk}": "4", f"score_{ownership.pk}": "2", f"note_{impact.pk}": "Good"})
    assert response.status_code == 302
    response = client.post(url, {f"score_{impact.pk}": "5"})
    assert Score.objects.get(criterion=impact).value == 5 and Score.objects.count() == 2


def test_shortlisting_through_the_status_form(client, challenge, funder_user):
    entry = EntryFactory(challenge=challenge)
    client.force_login(funder_user)
    url = reverse("challenges:entry_status", kwargs={"slug": challenge.slug, "pk": entry.pk})
    response = client.post(url, {"status": "shortlisted"})
    assert response.status_code == 409 and "after entries close" in response.content.decode()
    Challenge.objects.filter(pk=challenge.pk).update(stage=ChallengeStage.SHORTLISTING)
    assert client.post(url, {"status": "shortlisted"}).status_code == 302
    response = client.post(url, {"status": "winner"})
    assert response.status_code == 409 and "cannot become “Winner”" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "shortlisted"


def test_review_list_filters_sorts_and_reports_bad_filters(client, challenge, funder_user):
    rural = EntryFactory(
        challenge=challenge, solution=SolutionFactory(group=GroupFactory(name="Rural Hydro", area_kind="rural"))
    )
    urban = EntryFactory(
        challenge=challenge, solution=SolutionFactory(group=GroupFactory(name="Urban Solar", area_kind="urban"))
    )
    ScoreFactory(entry=urban, reviewer=funder_user, value=5)
    ScoreFactory(entry=rural, reviewer=funder_user, value=2)
    client.force_login(funder_user)
    url = reverse("challenges:review", kwargs={"slug": challenge.slug})
    body = client.get(url, {"area_kind": "rural"}).content.decode()
    assert "Rural Hydro" in body and "Urban Solar" not in body
    response = client.get(url, {"sort": "score"})
    assert [e.pk for e in response.context["entries"]] == [urban.pk, rural.pk]
    assert [e.pk for e in client.get(url, {"score_min": "4"}).context["entries"]] == [urban.pk]
    response = client.get(url, {"score_min": "5", "score_max": "2", "population_min": "lots"})
    assert response.status_code == 400
    assert "The highest score must not be below the lowest (5)." in response.content.decode()
    assert 'value="lots"' in response.content.decode()


def test_review_list_sorts_and_filters_by_the_stored_figures(client, challenge, funder_user):
    low, high, unscored = (EntryFactory(challenge=challenge) for _ in range(3))
    # Written straight to the columns, with no Score rows: the list must read the stored figures.
    Entry.objects.filter(pk=low.pk).update(weighted_score=1.5, score_count=2, disagreement=1)
    Entry.objects.filter(pk=high.pk).update(weighted_score=4.25, score_count=1, disagreement=0)
    client.force_login(funder_user)
    url = reverse("challenges:review", kwargs={"slug": challenge.slug})
    pks = lambda params: [e.pk for e in client.get(url, params).context["entries"]]  # noqa: E731
    assert pks({"sort": "score"}) == [high.pk, low.pk, unscored.pk]
    assert pks({"sort": "score_low"}) == [low.pk, high.pk, unscored.pk]
    assert pks({"sort": "scores"}) == [unscored.pk, high.pk, low.pk]
    assert pks({"score_min": "2"}) == [high.pk]
    assert pks({"score_max": "2"}) == [low.pk]
    assert pks({"unscored": "on"}) == [unscored.pk]
    body = client.get(url, {"sort": "score"}).content.decode()
    assert "4.25" in body and "(1 score)" in body and "(2 scores)" in body


def test_review_list_queries_are_the_same_for_3_and_30_entries(client, challenge, funder_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ..factories import MetricReadingFactory, SolutionMetricFactory

    client.force_login(funder_user)
    url = reverse("challenges:review", kwargs={"slug": challenge.slug})
    counts = []
    for size in (3, 30):
        for index in range(size - Entry.objects.count()):
            entry = EntryFactory(challenge=challenge)
            ScoreFactory(entry=entry, reviewer=funder_user, value=1 + index % 5)
            MetricReadingFactory(solution_metric=SolutionMetricFactory(solution=entry.solution))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"sort": "score", "area_kind": "small_town"})
        assert response.status_code == 200
        assert len(response.context["entries"]) == min(size, 25)
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 15, counts


def test_review_list_filters_by_the_latest_reading_of_a_shared_metric(client, challenge, funder_user):
    from ..factories import MetricFactory, MetricReadingFactory, SolutionMetricFactory

    shared = MetricFactory(name="Households reached", unit="households")
    grew, shrank, other_metric = (EntryFactory(challenge=challenge) for _ in range(3))
    for entry, readings in [(grew, [(1, 10), (6, 150)]), (shrank, [(1, 200), (6, 50)])]:
        sm = SolutionMetricFactory(solution=entry.solution, metric=shared)
        for month, value in readings:
            MetricReadingFactory(solution_metric=sm, measured_on=dt.date(2025, month, 1), value=value)
    MetricReadingFactory(solution_metric=SolutionMetricFactory(solution=other_metric.solution), value=999)
    client.force_login(funder_user)
    url = reverse("challenges:review", kwargs={"slug": challenge.slug})
    response = client.get(url, {"metric": shared.pk, "metric_min": "100"})
    assert [e.pk for e in response.context["entries"]] == [grew.pk]
    response = client.get(url, {"metric_min": "100"})
    assert response.status_code == 400 and "Choose the shared metric" in response.content.decode()


HOSTILE_HINT = '<a href="https://evil.example/login">Session expired: sign in again</a><form action="https://evil.example">'


def test_a_funders_hints_and_criteria_descriptions_are_shown_as_text_to_entrants_and_reviewers(
    client, challenge, entrant, solution, funder_user
):
    """What a funder writes as a question hint or a criterion description is shown on other people's
    forms as text, never as a live link or form."""
    challenge.questions.update(help_text=HOSTILE_HINT)
    challenge.criteria.update(description=HOSTILE_HINT)
    client.force_login(entrant)
    url = reverse("challenges:entry_create", kwargs={"slug": challenge.slug, "group_slug": solution.group.slug})
    page = client.get(url).content.decode()
    assert "&lt;a href=&quot;https://evil.example/login&quot;&gt;Session expired" in page
    assert 'href="https://evil.example' not in page and 'action="https://evil.example' not in page

    question = challenge.questions.get()
    client.post(url, {"solution": solution.pk, f"answer_{question.pk}": "Volunteers"})
    entry = Entry.objects.get()
    client.force_login(funder_user)
    page = client.get(entry.get_absolute_url()).content.decode()  # with the scoring form
    assert "&lt;a href=&quot;https://evil.example/login&quot;&gt;Session expired" in page
    assert 'href="https://evil.example' not in page and 'action="https://evil.example' not in page
