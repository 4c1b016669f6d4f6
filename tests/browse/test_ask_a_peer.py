import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from learning import connections
from learning.models import Connection, ConnectionMessage, GroupBlock
from learning.tasks import send_connection_notice

from ..factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    asking, asked = GroupFactory(name="Llanidloes Warm Homes"), GroupFactory(name="Rhayader Warm Homes")
    asker = MembershipFactory(group=asking, role="organiser").user
    answerer = MembershipFactory(group=asked, role="owner").user
    MembershipFactory(group=asked, role="member")  # members are not mailed
    return asking, asked, asker, answerer


def ask(client, asking, asked, text="How did you find volunteers?"):
    return client.post(reverse("learning:ask", kwargs={"slug": asked.slug}), {"from_group": asking.pk, "message": text})


def test_ask_accept_and_write_back_with_mails(client, pair, django_capture_on_commit_callbacks):
    asking, asked, asker, answerer = pair
    client.force_login(asker)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, asking, asked)
    connection = Connection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:connection", kwargs={"pk": connection.pk})
    assert connection.status == "pending"
    assert [m.to for m in mail.outbox] == [[answerer.email]]
    assert "How did you find volunteers?" in mail.outbox[0].body

    # The asker cannot write before the other side accepts.
    assert (
        client.post(reverse("learning:connection", kwargs={"pk": connection.pk}), {"body": "Hello?"}).status_code == 409
    )

    client.force_login(answerer)
    page = client.get(reverse("learning:connection", kwargs={"pk": connection.pk}))
    assert b"asks to connect" in page.content
    client.post(reverse("learning:respond", kwargs={"pk": connection.pk}), {"decision": "accept"})
    connection.refresh_from_db()
    assert connection.status == "accepted"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("learning:connection", kwargs={"pk": connection.pk}), {"body": "We asked at the school gate."}
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == [asker.email]
    assert ConnectionMessage.objects.count() == 2


def test_notice_is_sent_once_even_if_the_task_runs_twice(pair):
    asking, asked, asker, answerer = pair
    connection = connections.request_connection(from_group=asking, to_group=asked, by=asker, message="Hi")
    message = connection.messages.get()
    assert send_connection_notice.delay(message.pk).get() == 1
    assert send_connection_notice.delay(message.pk).get() == 0
    assert len(mail.outbox) == 1


def test_only_managers_ask_and_only_the_asked_side_answers(client, pair):
    asking, asked, asker, answerer = pair
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        connections.request_connection(from_group=asking, to_group=asked, by=stranger, message="Hi")
    connection = connections.request_connection(from_group=asking, to_group=asked, by=asker, message="Hi")
    with pytest.raises(PermissionDenied):
        connections.respond(connection=connection, by=asker, accept=True)
    client.force_login(stranger)
    assert client.get(reverse("learning:connection", kwargs={"pk": connection.pk})).status_code == 403
    assert client.get(reverse("learning:ask", kwargs={"slug": asked.slug})).status_code == 403


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Please write your question."), ("   ", "Please write your question."), ("x" * 4001, "at most 4000")],
    ids=["empty", "blank", "too-long"],
)
def test_bad_questions_are_refused_and_text_kept(client, pair, text, message):
    asking, asked, asker, _ = pair
    client.force_login(asker)
    response = ask(client, asking, asked, text=text)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Connection.objects.exists()


def test_cannot_ask_twice_or_ask_yourself(client, pair):
    asking, asked, asker, _ = pair
    connections.request_connection(from_group=asking, to_group=asked, by=asker, message="Hi")
    client.force_login(asker)
    response = ask(client, asking, asked, text="Hello again")
    assert response.status_code == 400
    assert "already connected or have a question waiting" in response.content.decode()
    assert "Hello again" in response.content.decode()
    with pytest.raises(ValidationError):
        connections.request_connection(from_group=asking, to_group=asking, by=asker, message="Me?")


def test_requests_are_rate_limited_per_person(client, pair):
    asking, _, asker, _ = pair
    for _ in range(connections.REQUESTS_PER_DAY):
        connections.request_connection(from_group=asking, to_group=GroupFactory(), by=asker, message="Hi")
    client.force_login(asker)
    response = ask(client, asking, GroupFactory())
    assert response.status_code == 429
    assert "requests a day" in response.content.decode()


def test_block_stops_messages_and_new_requests(client, pair):
    asking, asked, asker, answerer = pair
    connection = connections.request_connection(from_group=asking, to_group=asked, by=asker, message="Buy our stuff")
    client.force_login(answerer)
    response = client.post(reverse("learning:block", kwargs={"pk": connection.pk}))
    assert response.status_code == 302
    assert GroupBlock.objects.filter(blocker=asked, blocked=asking).exists()
    connection.refresh_from_db()
    assert connection.status == "blocked"
    with pytest.raises(ValidationError):
        connections.request_connection(from_group=asking, to_group=asked, by=asker, message="Again")


def test_respond_needs_a_decision_and_only_once(client, pair):
    asking, asked, asker, answerer = pair
    connection = connections.request_connection(from_group=asking, to_group=asked, by=asker, message="Hi")
    client.force_login(answerer)
    url = reverse("learning:respond", kwargs={"pk": connection.pk})
    assert client.post(url, {"decision": "maybe"}).status_code == 400
    assert client.post(url, {"decision": "decline"}).status_code == 302
    assert client.post(url, {"decision": "accept"}).status_code == 409
    assert client.get(url).status_code == 405


def test_connections_page_lists_both_directions(client, pair):
    asking, asked, asker, answerer = pair
    connections.request_connection(from_group=asking, to_group=asked, by=asker, message="Hi")
    client.force_login(answerer)
    html = client.get(reverse("learning:group_connections", kwargs={"slug": asked.slug})).content.decode()
    assert "Llanidloes Warm Homes" in html and "Waiting for your answer" in html
    client.force_login(asker)
    assert client.get(reverse("learning:group_connections", kwargs={"slug": asked.slug})).status_code == 403


def test_a_hidden_group_cannot_ask_or_write_to_other_groups(client, pair):
    from django.utils import timezone

    asking, asked, asker, answerer = pair
    connection = connections.request_connection(from_group=asking, to_group=asked, by=asker, message="Hello?")
    connections.respond(connection=connection, by=answerer, accept=True)
    other = GroupFactory(name="Builth Wells Energy")
    type(asking).objects.filter(pk=asking.pk).update(hidden_at=timezone.now(), hidden_reason="Spam.")
    client.force_login(asker)

    response = ask(client, asking, other, text="Can we borrow your ladder?")
    assert response.status_code == 403
    html = response.content.decode()
    assert "The moderators have hidden Llanidloes Warm Homes" in html
    assert "Can we borrow your ladder?" in html  # the question is kept
    assert not Connection.objects.filter(to_group=other).exists()

    response = client.post(reverse("learning:connection", kwargs={"pk": connection.pk}), {"body": "Still there?"})
    assert response.status_code == 403
    assert "Still there?" in response.content.decode()
    assert not ConnectionMessage.objects.filter(body="Still there?").exists()

    # The other side may still answer: only the hidden group is silenced.
    client.force_login(answerer)
    response = client.post(reverse("learning:connection", kwargs={"pk": connection.pk}), {"body": "We are here."})
    assert response.status_code == 302
