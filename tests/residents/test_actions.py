"""Actions: organisers publish and edit them; residents sign up, wait, cancel; calendars and attendee lists."""

import csv
import datetime as dt
import io

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from groups import actions
from groups.models import Action, ActionSignup, GroupActivity, SignupStatus

from ..factories import UserFactory
from .factories import ActionFactory, FollowFactory, SignupFactory, in_days


def local(days, hour):
    return in_days(days, hour).strftime("%Y-%m-%dT%H:%M")


def action_data(**overrides):
    data = {
        "title": "Repair café",
        "description": "Bring your broken toasters.",
        "starts_at": local(10, 10),
        "ends_at": local(10, 13),
        "place_name": "",
        "postcode_district": "",
        "capacity": "20",
        "accessible": "on",
        "accessibility_notes": "Ramp at the side door.",
    }
    data.update(overrides)
    return data


def create_url(group):
    return reverse("groups:action_create", kwargs={"slug": group.slug})


def signup_url(action, name="groups:action_signup"):
    return reverse(name, kwargs={"slug": action.group.slug, "pk": action.pk})


# --- Publishing -----------------------------------------------------------------------------------


def test_organiser_publishes_an_action_in_uk_time_and_followers_hear_of_it(
    client, group, organiser, mailoutbox, committed
):
    FollowFactory(group=group, user=UserFactory(email="follower@example.org"))
    client.force_login(organiser)
    # 1 July is in British Summer Time: 10:00 in London is 09:00 UTC.
    year = timezone.localdate().year + 1
    with committed():
        response = client.post(
            create_url(group),
            action_data(starts_at=f"{year}-07-01T10:00", ends_at=f"{year}-07-01T12:30", place_name="Totnes"),
        )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.starts_at == dt.datetime(year, 7, 1, 9, 0, tzinfo=dt.UTC)
    assert action.ends_at == dt.datetime(year, 7, 1, 11, 30, tzinfo=dt.UTC)
    assert action.created_by == organiser and action.accessible
    assert action.latitude == pytest.approx(50.43, abs=0.05)
    page = client.get(response["Location"]).content.decode()
    assert "10:00" in page and "UK time" in page
    assert GroupActivity.objects.get(group=group).kind == "action"
    (mail,) = mailoutbox
    assert mail.to == ["follower@example.org"] and "Repair café" in mail.subject


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": local(10, 9)}, "ends_at", "must end after it starts"),
        ({"capacity": "0"}, "capacity", "at least 1 place"),
        ({"capacity": "-1"}, "capacity", "at least 1 place"),
        ({"capacity": "abc"}, "capacity", "whole number"),
        ({"starts_at": local(-1, 10), "ends_at": local(-1, 12)}, "starts_at", "must be in the future"),
        ({"starts_at": "next tuesday"}, "starts_at", "Enter a date and time"),
        ({"title": ""}, "title", "Enter a title"),
        ({"place_name": "Nowhere-on-Sea"}, "place_name", "could not find"),
    ],
)
def test_bad_action_input_is_a_400_with_the_message_and_what_was_typed(
    client, group, organiser, overrides, field, message
):
    client.force_login(organiser)
    data = action_data(**overrides)
    response = client.post(create_url(group), data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert f'value="{data[field]}"' in html or f">{data[field]}<" in html or data[field] == ""
    assert 'value="Repair café"' in html or field == "title"
    assert not Action.objects.exists()


def test_edit_keeps_uk_time_and_refuses_capacity_below_confirmed(client, group, organiser):
    action = ActionFactory(group=group, capacity=3)
    SignupFactory.create_batch(2, action=action)
    client.force_login(organiser)
    edit_url = reverse("groups:action_edit", kwargs={"slug": group.slug, "pk": action.pk})
    form = client.get(edit_url).context["form"]
    start = timezone.localtime(action.starts_at).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{start}"' in str(form["starts_at"])
    data = action_data(
        starts_at=start,
        ends_at=timezone.localtime(action.ends_at).strftime("%Y-%m-%dT%H:%M"),
        capacity="1",
        status="scheduled",
    )
    response = client.post(edit_url, data)
    assert response.status_code == 400
    assert "2 people already have a place" in response.content.decode()
    assert 'value="1"' in response.content.decode()
    response = client.post(edit_url, {**data, "capacity": "5", "title": "Bigger repair café"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.capacity, action.title) == (5, "Bigger repair café")


def test_raising_capacity_promotes_the_waiting_list(group, mailoutbox, committed):
    action = ActionFactory(group=group, capacity=1)
    first, second = UserFactory(), UserFactory()
    actions.sign_up(action_id=action.pk, user=first)
    waiting = actions.sign_up(action_id=action.pk, user=second)
    assert waiting.status == SignupStatus.WAITING
    mailoutbox.clear()
    with committed():
        actions.update_action(action=action, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == SignupStatus.CONFIRMED
    assert [m.to for m in mailoutbox] == [[second.email]]


def test_cancelling_an_action_tells_everyone_signed_up(group, mailoutbox, committed):
    action = ActionFactory(group=group, capacity=1)
    people = [UserFactory(), UserFactory()]
    for person in people:
        actions.sign_up(action_id=action.pk, user=person)
    mailoutbox.clear()
    with committed():
        actions.update_action(action=action, status="cancelled")
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)
    assert all(m.subject.endswith(f"Cancelled: {action.title}") for m in mailoutbox)


# --- Signing up -----------------------------------------------------------------------------------


def test_sign_up_confirms_and_mails_the_details_with_a_calendar_file(client, action, mailoutbox, committed):
    resident = UserFactory()
    client.force_login(resident)
    with committed():
        response = client.post(signup_url(action), follow=True)
    assert response.status_code == 200
    assert "You are signed up" in response.content.decode()
    signup = ActionSignup.objects.get()
    assert (signup.user, signup.status) == (resident, SignupStatus.CONFIRMED)
    (mail,) = mailoutbox
    assert mail.to == [resident.email] and "You are signed up" in mail.subject
    assert action.get_absolute_url() in mail.body
    (name, content, mimetype) = mail.attachments[0]
    assert name == "action.ics" and mimetype.startswith("text/calendar")
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == action.starts_at


def test_full_action_puts_people_on_a_waiting_list_in_order(client, group):
    action = ActionFactory(group=group, capacity=1)
    people = [UserFactory() for _ in range(3)]
    for person in people:
        client.force_login(person)
        client.post(signup_url(action))
    statuses = list(ActionSignup.objects.order_by("queued_at", "pk").values_list("status", flat=True))
    assert statuses == ["confirmed", "waiting", "waiting"]
    client.force_login(people[2])
    page = client.get(action.get_absolute_url()).content.decode()
    assert "waiting list: number 2" in page


def test_cancelling_promotes_the_first_waiting_and_mails_them(client, group, mailoutbox, committed):
    action = ActionFactory(group=group, capacity=1)
    holder, first_waiting, second_waiting = UserFactory(), UserFactory(), UserFactory()
    for person in (holder, first_waiting, second_waiting):
        actions.sign_up(action_id=action.pk, user=person)
    mailoutbox.clear()
    client.force_login(holder)
    with committed():
        response = client.post(signup_url(action, "groups:action_cancel_signup"))
    assert response.status_code == 302
    status = dict(ActionSignup.objects.values_list("user_id", "status"))
    assert status == {holder.pk: "cancelled", first_waiting.pk: "confirmed", second_waiting.pk: "waiting"}
    (mail,) = mailoutbox
    assert mail.to == [first_waiting.email] and "A place came free" in mail.subject
    assert mail.attachments


def test_double_sign_up_is_refused_with_a_message(client, action):
    resident = UserFactory()
    client.force_login(resident)
    client.post(signup_url(action))
    response = client.post(signup_url(action))
    assert response.status_code == 409
    assert "already signed up" in response.content.decode()
    assert ActionSignup.objects.count() == 1


def test_cancelling_without_a_place_is_refused(client, action):
    client.force_login(UserFactory())
    response = client.post(signup_url(action, "groups:action_cancel_signup"))
    assert response.status_code == 409
    assert "not signed up for this action" in response.content.decode()


def test_sign_up_for_a_cancelled_action_is_refused(client, group):
    action = ActionFactory(group=group, status="cancelled")
    client.force_login(UserFactory())
    response = client.post(signup_url(action))
    assert response.status_code == 409
    assert "cancelled, so sign-ups are closed" in response.content.decode()
    assert not ActionSignup.objects.exists()


def test_sign_up_for_a_past_action_is_refused(client, group):
    action = ActionFactory(group=group, starts_at=in_days(-2), ends_at=in_days(-2) + dt.timedelta(hours=1))
    client.force_login(UserFactory())
    response = client.post(signup_url(action))
    assert response.status_code == 409
    assert "already started or is over" in response.content.decode()


def test_signing_up_again_after_cancelling_goes_to_the_back_of_the_queue(group):
    action = ActionFactory(group=group, capacity=1)
    first, second = UserFactory(), UserFactory()
    actions.sign_up(action_id=action.pk, user=first)
    actions.cancel_signup(action_id=action.pk, user=first)
    actions.sign_up(action_id=action.pk, user=second)
    again = actions.sign_up(action_id=action.pk, user=first)
    assert again.status == SignupStatus.WAITING
    assert actions.waiting_position(again) == 1


def test_signup_notice_is_sent_once_even_if_the_task_runs_twice(action, mailoutbox, committed):
    with committed():
        signup = actions.sign_up(action_id=action.pk, user=UserFactory())
    assert len(mailoutbox) == 1
    assert actions.send_signup_notice(signup_id=signup.pk) is False
    assert len(mailoutbox) == 1


def test_anonymous_visitor_is_asked_to_log_in(client, action):
    response = client.post(signup_url(action))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "Log in</a> or" in client.get(action.get_absolute_url()).content.decode()


def test_service_refuses_with_codes(action):
    resident = UserFactory()
    actions.sign_up(action_id=action.pk, user=resident)
    with pytest.raises(ValidationError) as refused:
        actions.sign_up(action_id=action.pk, user=resident)
    assert refused.value.code == "already_signed_up"


# --- Attendees and calendars ----------------------------------------------------------------------


def test_organisers_see_attendees_with_contact_details_and_export_csv(client, group, organiser):
    action = ActionFactory(group=group, capacity=1)
    alice = UserFactory(display_name="Alice", email="alice@example.org")
    bob = UserFactory(display_name="=HYPERLINK(1)", email="bob@example.org")
    actions.sign_up(action_id=action.pk, user=alice)
    actions.sign_up(action_id=action.pk, user=bob)
    client.force_login(organiser)
    page = client.get(reverse("groups:action_attendees", kwargs={"slug": group.slug, "pk": action.pk}))
    assert "alice@example.org" in page.content.decode()
    response = client.get(reverse("groups:action_attendees_csv", kwargs={"slug": group.slug, "pk": action.pk}))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Name", "Email", "Status"]
    assert [row[:3] for row in rows[1:]] == [
        ["Alice", "alice@example.org", "Confirmed"],
        ["'=HYPERLINK(1)", "bob@example.org", "On the waiting list"],
    ]


@pytest.mark.parametrize("viewer", ["anonymous", "stranger", "member", "attendee"])
def test_nobody_else_sees_attendee_contact_details(client, group, member, viewer):
    action = ActionFactory(group=group)
    attendee = UserFactory(email="private@example.org")
    actions.sign_up(action_id=action.pk, user=attendee)
    who = {"anonymous": None, "stranger": UserFactory(), "member": member, "attendee": attendee}[viewer]
    if who:
        client.force_login(who)
    for name in ("groups:action_attendees", "groups:action_attendees_csv"):
        response = client.get(reverse(name, kwargs={"slug": group.slug, "pk": action.pk}))
        assert response.status_code in (302, 403)
    assert "private@example.org" not in client.get(action.get_absolute_url()).content.decode()


def test_action_ics_is_valid_icalendar_with_utc_times(client, group):
    action = ActionFactory(
        group=group, title="Draught-busting, open house; all welcome", place_name="Town Hall, Kendal"
    )
    response = client.get(reverse("groups:action_ics", kwargs={"slug": group.slug, "pk": action.pk}))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    calendar = icalendar.Calendar.from_ical(body)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Draught-busting, open house; all welcome"
    assert event.decoded("DTSTART") == action.starts_at
    assert event.decoded("DTEND") == action.ends_at
    assert event.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert str(event["UID"]).startswith(f"action-{action.pk}@")
    assert str(event["LOCATION"]) == "Town Hall, Kendal"
    assert str(event["URL"]).endswith(action.get_absolute_url())
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]


def test_group_feed_lists_upcoming_actions_only(client, group):
    soon = ActionFactory(group=group, title="Soon")
    later = ActionFactory(group=group, title="Later", starts_at=in_days(30))
    ActionFactory(group=group, title="Over", starts_at=in_days(-3), ends_at=in_days(-3) + dt.timedelta(hours=1))
    body = client.get(reverse("groups:actions_ics", kwargs={"slug": group.slug})).content
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [soon.title, later.title]
    atom = client.get(reverse("groups:actions_feed", kwargs={"slug": group.slug}))
    assert (
        atom.status_code == 200 and b"<feed" in atom.content and b"Soon" in atom.content and b"Over" not in atom.content
    )


def test_group_page_shows_upcoming_actions_and_lets_organisers_publish(client, group, organiser):
    action = ActionFactory(group=group, title="Seed swap")
    html = client.get(group.get_absolute_url()).content.decode()
    assert "Seed swap" in html and action.get_absolute_url() in html
    assert "Publish an action" not in html
    client.force_login(organiser)
    assert "Publish an action" in client.get(group.get_absolute_url()).content.decode()


def test_the_group_page_asks_for_actions_only_when_some_are_coming_up(
    client, group, organiser, django_assert_num_queries
):
    """The group's own query says whether any actions are coming up (most groups have none at a time): then
    the page does not ask for them. Past and hidden actions do not count; a new one shows at once."""
    ActionFactory(
        group=group, title="Litter pick that ended", starts_at=in_days(-3), ends_at=in_days(-3) + dt.timedelta(hours=1)
    )
    ActionFactory(group=group, title="Hidden one", hidden_at=timezone.now())
    url = group.get_absolute_url()
    client.get(url)  # the page's languages and templates loaded
    with django_assert_num_queries(2) as without:
        html = client.get(url).content.decode()
    assert not any(query["sql"].startswith('SELECT "groups_action"') for query in without.captured_queries)
    assert "No actions are planned yet." in html
    assert "Litter pick that ended" not in html and "Hidden one" not in html
    ActionFactory(group=group, title="Seed swap")
    with django_assert_num_queries(3) as with_one:
        html = client.get(url).content.decode()
    assert "Seed swap" in html and "No actions are planned yet." not in html
    (cards,) = [
        query["sql"] for query in with_one.captured_queries if query["sql"].startswith('SELECT "groups_action"')
    ]
    assert '"description"' not in cards and '"description_html"' not in cards  # the cards show neither
    client.force_login(organiser)
    Action.objects.filter(title="Seed swap").update(ends_at=in_days(-1), starts_at=in_days(-2))
    html = client.get(url).content.decode()
    assert "Publish an action" in html and "No actions are planned yet." in html and "Seed swap" not in html


def test_an_action_in_a_postcode_district_that_does_not_exist_is_refused_on_its_field(client, group, organiser):
    client.force_login(organiser)
    response = client.post(create_url(group), action_data(place_name="Town Hall", postcode_district="ZZ99"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "We do not know the postcode district ZZ99." in html and 'value="Town Hall"' in html
    assert not Action.objects.exists()
