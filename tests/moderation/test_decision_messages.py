"""What a moderator is told after a decision, and how the queue names an appeal."""

import pytest
from django.urls import reverse

from moderation import services
from moderation.models import Case

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def reported(item, *, reporters=1, kind="update"):
    for _ in range(reporters):
        case = services.report(reporter=UserFactory(), kind=kind, pk=item.pk, reason="abuse").case
    return Case.objects.get(pk=case.pk)


def hidden_and_appealed(world, moderator):
    case = reported(world.update)
    services.hide(case=case, by=moderator, reason="Spam.")
    services.appeal(kind="update", pk=world.update.pk, by=world.owner, text="It is not spam.")
    return case


def decide(client, case, decision, reason=""):
    url = reverse("moderation:decide", kwargs={"pk": case.pk})
    return client.post(url, {"decision": decision, "reason": reason}, follow=True)


def shown_messages(response):
    return [str(message) for message in response.context["messages"]]


def twice_reported(world, moderator):
    return reported(world.update, reporters=2)


def hidden_automatically(world, moderator):
    case = reported(world.update, reporters=3)
    assert case.is_hidden
    return case


def once_reported(world, moderator):
    return reported(world.update)


@pytest.mark.parametrize(
    ("make_case", "decision", "expected"),
    [
        (
            twice_reported,
            "hide",
            "Hidden “Our first month”. We are emailing the people who run Hilltop Energy the reason; "
            "they can appeal once. The 2 people who reported it are told the outcome.",
        ),
        (
            hidden_automatically,
            "dismiss",
            "Dismissed 3 reports about “Our first month”. It is shown again. "
            "The 3 people who reported it are told the outcome.",
        ),
        (
            once_reported,
            "dismiss",
            "Dismissed 1 report about “Our first month”. It stays visible. "
            "The person who reported it is told the outcome.",
        ),
        (
            hidden_and_appealed,
            "restore",
            "Restored “Our first month”: it is visible again and the appeal is upheld. "
            "We are emailing the people who run Hilltop Energy.",
        ),
    ],
)
def test_a_decision_says_what_was_done_and_who_is_told(client, world, moderator, make_case, decision, expected):
    case = make_case(world, moderator)
    client.force_login(moderator)
    response = decide(client, case, decision, "A reason.")
    assert shown_messages(response) == [expected]
    assert "Done." not in response.content.decode()


def test_the_queue_names_an_appeal_with_no_open_reports_in_words(client, world, moderator):
    hidden_and_appealed(world, moderator)
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert "—appeal" not in page
    assert "<td>An appeal against hiding it</td>" in page


def test_the_queue_names_reports_and_an_appeal_together(client, world, moderator):
    case = reported(world.update, reporters=3)
    assert case.is_hidden  # automatically, with its reports still open
    services.appeal(kind="update", pk=world.update.pk, by=world.owner, text="It is not spam.")
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert "<td>Abuse or harassment (3); an appeal against hiding it</td>" in page
