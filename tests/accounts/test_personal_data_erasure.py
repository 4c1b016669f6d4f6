"""Erasing an account is made of steps, each declared by the app that holds the rows (`<app>/personal_data.py`).

The promise checked here: every link from our models to a person is either erased (by a declared step, or by
delete_account itself: the user row and allauth's rows) or declared kept, with the reason, under the
anonymised user. A renamed or new field, or a step whose declaration is taken away, fails a test instead of
silently staying behind after someone asked to be forgotten.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone

from accounts import services
from core import personal_data
from core.models import MailClaim
from groups.models import Invitation
from moderation.models import LogEntry

from ..factories import UserFactory
from ..groups.factories import InvitationFactory
from .test_personal_data_parts import links_to_a_person, one_of_everything, our_apps, person_links

pytestmark = pytest.mark.django_db

# The order the steps run in. Places at actions are given up (and the people waiting promoted and told)
# while the person is still a member; everything found by address is found before allauth's addresses go.
ORDER = [
    "action_signups",
    "group_memberships",
    "follows",
    "news_mails_sent_to_them",
    "weekly_digests_sent_to_them",
    "mail_claims",
    "funder_memberships",
    "invitations_to_them",
]


def erased(steps):
    return {link for step in steps for link in step.covers} | set(services.ERASED_BY_DELETE_ACCOUNT)


def kept():
    return personal_data.kept_links().keys()


def test_every_link_to_a_person_is_erased_or_kept_with_a_reason():
    unaccounted = person_links() - erased(personal_data.erasers()) - kept()
    assert not unaccounted, (
        f"{sorted(unaccounted)} link a row to a person, but erasing an account neither erases nor keeps them. "
        "Erase them in a step in the app's personal_data.py (and name them in its `covers`), or declare them "
        "with personal_data.kept() and the reason."
    )


def test_every_declared_link_exists_so_a_renamed_field_fails():
    declared = erased(personal_data.erasers()) | kept()
    ours = person_links()
    elsewhere = {link for link in declared - ours if link.split(".")[0] not in {c.label for c in our_apps()}}
    for link in elsewhere:  # a third party's model, such as allauth's email addresses
        app_label, model_name, field_name = link.split(".")
        assert links_to_a_person(apps.get_model(app_label, model_name)._meta.get_field(field_name)), link
    assert declared - elsewhere <= ours, f"no such link to a person: {sorted(declared - elsewhere - ours)}"


def test_no_link_is_both_erased_and_kept():
    assert not erased(personal_data.erasers()) & kept()


def test_every_kept_link_says_why():
    assert all(reason.strip() for reason in personal_data.kept_links().values())


@pytest.mark.parametrize("name", ORDER)
def test_without_its_step_its_links_would_be_reported(name):
    """The check above bites: take any one step away and the links it erases are reported."""
    step = next(step for step in personal_data.erasers() if step.name == name)
    others = [other for other in personal_data.erasers() if other.name != name]
    unaccounted = person_links() - erased(others) - kept()
    assert step.covers and set(step.covers) <= unaccounted


@pytest.mark.parametrize("link", sorted(personal_data.kept_links()))
def test_without_its_reason_a_kept_link_would_be_reported(link):
    unaccounted = person_links() - erased(personal_data.erasers()) - (kept() - {link})
    assert link in unaccounted


def test_steps_run_in_the_declared_order_places_released_before_memberships_go():
    assert [step.name for step in personal_data.erasers()] == ORDER


def test_each_step_is_declared_by_the_app_that_holds_its_rows():
    for step in personal_data.erasers():
        assert {link.split(".")[0] for link in step.covers} == {step.erase.__module__.split(".")[0]}, step.name
        assert step.erase.__module__.endswith(".personal_data"), step.name


def test_two_steps_may_not_share_an_order_or_a_name(monkeypatch):
    monkeypatch.setattr(personal_data, "_erasers", dict(personal_data._erasers))

    with pytest.raises(ImproperlyConfigured, match="both have order 20"):
        personal_data.eraser("another", covers=[], order=20)(lambda person: None)
    with pytest.raises(ImproperlyConfigured, match="Two steps of erasing an account are called 'follows'"):
        personal_data.eraser("follows", covers=[], order=999)(lambda person: None)


def rows_linked(link, user, addresses):
    """How many rows still link to `user` (or to one of their `addresses`) through `link`."""
    app_label, model_name, field_name = link.split(".")
    model = apps.get_model(app_label, model_name)
    field = model._meta.get_field(field_name)
    if isinstance(field, models.ForeignKey | models.ManyToManyField):
        return model._default_manager.filter(**{field_name: user}).count()
    return sum(1 for value in model._default_manager.values_list(field_name, flat=True) if value.lower() in addresses)


def test_deleting_an_account_erases_every_erased_link_and_keeps_every_kept_one(django_capture_on_commit_callbacks):
    user = UserFactory(email="kim@example.org", display_name="Kim Lee", home_area="TQ9")
    one_of_everything(user)
    InvitationFactory(email="kim-old@example.org", accepted_at=timezone.now(), accepted_by=user)
    MailClaim.objects.create(about="auto-hide 1", recipient="Kim@example.org")
    LogEntry.objects.create(subject_user=UserFactory(), actor=user, event="suspended", reason="Spam")
    addresses = {"kim@example.org", "kim-old@example.org"}
    before = {link: rows_linked(link, user, addresses) for link in person_links()}
    assert all(before.values()), f"nothing to erase or keep for {[k for k, n in before.items() if not n]}"

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_account(user=user)

    after = {link: rows_linked(link, user, addresses) for link in person_links()}
    # An accepted invitation is the group's record: it stays, accepted by the anonymised account, without
    # their address (the invitations step).
    assert after.pop("groups.Invitation.accepted_by") == 1
    assert Invitation.objects.get(accepted_by=user).email == f"deleted-{user.pk}@localism.invalid"
    assert {link: n for link, n in after.items() if link not in kept()} == dict.fromkeys(after.keys() - kept(), 0)
    assert {link: n for link, n in after.items() if link in kept()} == {link: before[link] for link in kept()}
