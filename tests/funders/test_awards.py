"""What funders awarded: the rules of recording, changing and removing an award (the services), the funder's
pages for it, and the awards on the public challenge page (through the HTTP client)."""

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from challenges.funding import selectors, services
from challenges.models import Award, ChallengeStage, EntryStatus
from core.refusals import StaleEdit, refusal_status

from ..factories import GroupFactory, MembershipFactory, SolutionFactory
from .factories import AwardFactory, ChallengeFactory, EntryFactory


@pytest.fixture
def winners(funder):
    """A challenge of `funder` that has announced its winners, published "shortlisted and later"."""
    return ChallengeFactory(funder=funder, stage=ChallengeStage.WINNERS)


@pytest.fixture
def finalist(winners):
    return EntryFactory(challenge=winners, status=EntryStatus.FINALIST)


def record(entry, **overrides):
    values = {"amount": Decimal("20000"), "awarded_on": timezone.localdate(), "title": "Finalist grant"}
    values.update(overrides)
    return services.record_award(entry=entry, **values)


def award_post(**overrides):
    data = {"title": "Winner's prize", "amount": "150000", "awarded_on": "2026-03-02", "description": ""}
    data.update(overrides)
    return data


# --- The rules -------------------------------------------------------------------------------------------


def test_finalists_and_winners_get_several_awards_each(finalist, funder_user):
    winner = EntryFactory(challenge=finalist.challenge, status=EntryStatus.WINNER)
    record(finalist, by=funder_user)
    record(winner, title="Development grant")
    record(winner, title="Winner's prize", amount=Decimal("100000.50"), description="For the second year.")
    assert finalist.awards.get().created_by == funder_user
    prize = winner.awards.get(title="Winner's prize")
    assert (prize.amount, prize.currency, prize.description) == (Decimal("100000.50"), "GBP", "For the second year.")
    assert winner.awards.count() == 2


@pytest.mark.parametrize("stage", [ChallengeStage.FINALISTS, ChallengeStage.WINNERS, ChallengeStage.CLOSED])
def test_awards_are_recorded_once_finalists_are_announced(funder, stage):
    entry = EntryFactory(challenge=ChallengeFactory(funder=funder, stage=stage), status=EntryStatus.FINALIST)
    assert services.award_refusal(entry) is None
    record(entry)
    assert entry.awards.count() == 1


@pytest.mark.parametrize("stage", [ChallengeStage.OPEN, ChallengeStage.SHORTLISTING])
def test_no_award_before_finalists_are_announced(funder, stage):
    entry = EntryFactory(challenge=ChallengeFactory(funder=funder, stage=stage), status=EntryStatus.FINALIST)
    with pytest.raises(services.StateRefusal) as refused:
        record(entry)
    assert refusal_status(refused.value) == 409
    assert "once the challenge announces its finalists" in refused.value.messages[0]
    assert not Award.objects.exists()


@pytest.mark.parametrize("status", [EntryStatus.ENTERED, EntryStatus.SHORTLISTED, EntryStatus.NOT_SELECTED])
def test_only_finalists_and_winners_get_awards(winners, status):
    entry = EntryFactory(challenge=winners, status=status)
    with pytest.raises(services.StateRefusal) as refused:
        record(entry)
    assert "for finalists and winners" in refused.value.messages[0]
    assert not Award.objects.exists()


def test_the_rules_are_read_again_under_the_lock(finalist):
    # The page was read while the entry was a finalist; it was marked "not selected" before the form was sent.
    type(finalist).objects.filter(pk=finalist.pk).update(status=EntryStatus.NOT_SELECTED)
    with pytest.raises(services.StateRefusal):
        record(finalist)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("0"), "Enter an amount above 0."),
        (Decimal("-5"), "Enter an amount above 0."),
        (Decimal("10000000.01"), "An award can be at most 10,000,000."),
    ],
)
def test_the_amount_is_above_nothing_and_at_most_ten_million(finalist, amount, message):
    with pytest.raises(ValidationError) as refused:
        record(finalist, amount=amount)
    assert message in refused.value.message_dict["amount"][0]
    assert refusal_status(refused.value) == 400
    assert record(finalist, amount=Decimal("10000000")).amount == Decimal("10000000")


def test_the_date_is_at_most_a_year_ahead(finalist):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        record(finalist, awarded_on=today + dt.timedelta(days=366))
    assert "at most a year from today" in refused.value.message_dict["awarded_on"][0]
    assert record(finalist, awarded_on=today + dt.timedelta(days=365)).pk
    assert record(finalist, awarded_on=dt.date(2019, 4, 1)).pk  # awards made before the site are recorded too


def test_an_edit_from_an_old_version_is_refused_and_changes_nothing(finalist):
    award = record(finalist)
    services.edit_award(award=award, based_on_version=1, **_values(title="Finalist grant, first half"))
    with pytest.raises(StaleEdit) as stale:
        services.edit_award(award=award, based_on_version=1, **_values(title="Finalist grant (amended)"))
    assert stale.value.current.title == "Finalist grant, first half"
    assert refusal_status(stale.value) == 409
    award.refresh_from_db()
    assert (award.title, award.version) == ("Finalist grant, first half", 2)


def _values(**overrides):
    values = {"amount": Decimal("20000"), "awarded_on": timezone.localdate(), "title": "Finalist grant"}
    values.update(overrides)
    return values


def test_an_edit_keeps_the_amount_rules_and_keeps_the_version_on_a_refusal(finalist):
    award = record(finalist)
    with pytest.raises(ValidationError):
        services.edit_award(award=award, based_on_version=1, **_values(amount=Decimal("0")))
    award.refresh_from_db()
    assert award.version == 1 and award.amount == Decimal("20000")


def test_an_award_stays_when_its_finalist_is_not_selected_as_a_winner(finalist):
    award = record(finalist)
    services.set_entry_status(entry=finalist, status=EntryStatus.NOT_SELECTED)
    edited = services.edit_award(award=award, based_on_version=1, **_values(amount=Decimal("15000")))
    assert edited.amount == Decimal("15000")


def test_removing_an_award_deletes_it_and_an_entry_with_awards_is_kept(finalist):
    award = record(finalist)
    with pytest.raises(ProtectedError):
        finalist.delete()
    services.remove_award(award=award)
    assert not Award.objects.exists()


@pytest.mark.parametrize(
    "org_id", ["GB-CHC-1234567", "GB-COH-01234567", "GB-SC-SC012345", "XI-IATI-EXAMPLE", "CA-CRA_ACR-1234", "360G-x-1"]
)
def test_a_funder_identifier_in_org_id_guide_form_is_accepted(funder, org_id):
    funder.org_id = org_id
    funder.full_clean()


@pytest.mark.parametrize("org_id", ["1234567", "gb-chc-1234567", "GB-CHC 1234567", "GB-CHC-12/34", "GB-CHC-", "GBR-X"])
def test_a_funder_identifier_not_in_org_id_guide_form_is_refused(funder, org_id):
    funder.org_id = org_id
    with pytest.raises(ValidationError) as refused:
        funder.full_clean()
    assert "org-id.guide form" in refused.value.message_dict["org_id"][0]


def test_a_funder_identifier_is_optional(funder):
    assert funder.org_id == ""
    funder.full_clean()


# --- The funder's pages ----------------------------------------------------------------------------------


def test_the_funder_records_an_award_from_the_entry_page(client, funder_user, finalist):
    client.force_login(funder_user)
    page = client.get(finalist.get_absolute_url()).content.decode()
    create_url = reverse("challenges:award_create", kwargs={"slug": finalist.challenge.slug, "pk": finalist.pk})
    assert f'href="{create_url}"' in page
    assert "No award recorded yet." in page

    form = client.get(create_url)
    assert form.status_code == 200
    assert f'value="{timezone.localdate().isoformat()}"' in form.content.decode()  # today, to start with
    response = client.post(create_url, award_post(description="Two years of support."))
    assert response.status_code == 302
    assert response["Location"] == f"{finalist.get_absolute_url()}#awards-title"
    award = Award.objects.get()
    assert (award.title, award.amount, award.awarded_on) == ("Winner's prize", 150000, dt.date(2026, 3, 2))
    assert award.created_by == funder_user

    page = html.unescape(client.get(finalist.get_absolute_url()).content.decode())
    assert "Winner's prize" in page and "£150,000" in page and "2 March 2026" in page
    assert reverse("challenges:award_edit", kwargs={"slug": finalist.challenge.slug, "pk": award.pk}) in page


@pytest.mark.parametrize(
    ("overrides", "status", "message"),
    [
        ({"amount": "0"}, 400, "Enter an amount above 0."),
        ({"amount": "12000000"}, 400, "An award can be at most 10,000,000."),
        ({"amount": "lots"}, 400, "Enter the amount as a number"),
        ({"amount": "10.005"}, 400, "at most 2 decimal places"),
        ({"awarded_on": "2099-01-01"}, 400, "at most a year from today"),
        ({"title": "   "}, 400, "Say what the award is: a short name such as “Winner's prize”."),
    ],
)
def test_a_refused_award_form_comes_back_with_what_was_typed(client, funder_user, finalist, overrides, status, message):
    client.force_login(funder_user)
    url = reverse("challenges:award_create", kwargs={"slug": finalist.challenge.slug, "pk": finalist.pk})
    data = award_post(description="For a second year of visits.", **overrides)
    response = client.post(url, data)
    page = html.unescape(response.content.decode())
    assert response.status_code == status
    assert message in page
    assert "For a second year of visits." in page
    if overrides.get("title") is None:
        assert 'value="Winner\'s prize"' in page
    assert not Award.objects.exists()


def test_an_entry_that_cannot_have_an_award_says_why(client, funder_user, winners):
    shortlisted = EntryFactory(challenge=winners, status=EntryStatus.SHORTLISTED)
    client.force_login(funder_user)
    page = client.get(shortlisted.get_absolute_url()).content.decode()
    assert "Awards are recorded for finalists and winners; this entry is “Shortlisted”." in page
    url = reverse("challenges:award_create", kwargs={"slug": winners.slug, "pk": shortlisted.pk})
    assert url not in page
    response = client.get(url)
    assert response.status_code == 409
    assert "this entry is “Shortlisted”" in response.content.decode()
    assert client.post(url, award_post()).status_code == 409
    assert not Award.objects.exists()


def test_only_the_funders_members_record_change_and_remove_awards(client, finalist, stranger):
    award = AwardFactory(entry=finalist)
    entrant = MembershipFactory(group=finalist.solution.group, role="owner").user
    slug = finalist.challenge.slug
    urls = [
        reverse("challenges:award_create", kwargs={"slug": slug, "pk": finalist.pk}),
        reverse("challenges:award_edit", kwargs={"slug": slug, "pk": award.pk}),
    ]
    for user in (entrant, stranger):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403
            assert client.post(url, award_post()).status_code == 403
        remove = reverse("challenges:award_remove", kwargs={"slug": slug, "pk": award.pk})
        assert client.post(remove, {"confirm": "yes"}).status_code == 403
    award.refresh_from_db()
    assert award.version == 1


def test_an_award_of_another_challenge_is_not_found(client, funder_user, finalist, funder):
    award = AwardFactory(entry=finalist)
    other = ChallengeFactory(funder=funder, stage=ChallengeStage.WINNERS)
    client.force_login(funder_user)
    assert client.get(reverse("challenges:award_edit", kwargs={"slug": other.slug, "pk": award.pk})).status_code == 404


def test_a_stale_edit_is_refused_and_the_text_kept(client, funder_user, other_reviewer, finalist):
    award = AwardFactory(entry=finalist, title="Finalist grant", amount=Decimal("20000"))
    url = reverse("challenges:award_edit", kwargs={"slug": finalist.challenge.slug, "pk": award.pk})
    client.force_login(funder_user)
    form = client.get(url).content.decode()
    assert 'name="version" value="1"' in form

    # Someone else saves first.
    services.edit_award(
        award=award,
        based_on_version=1,
        title="Finalist grant, first half",
        amount=Decimal("10000"),
        awarded_on=award.awarded_on,
        by=other_reviewer,
    )
    mine = award_post(title="Finalist grant (two years)", amount="40000", version="1")
    response = client.post(url, mine)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this award while you were editing." in page
    assert 'value="Finalist grant (two years)"' in page and 'value="40000"' in page
    assert "Finalist grant, first half" in page  # what is saved now, at the field
    assert 'name="version" value="2"' in page
    award.refresh_from_db()
    assert award.title == "Finalist grant, first half"

    # Saving again is a choice made knowing what the other person saved.
    response = client.post(url, {**mine, "version": "2"})
    assert response.status_code == 302
    award.refresh_from_db()
    assert (award.title, award.amount, award.version) == ("Finalist grant (two years)", 40000, 3)


def test_removing_an_award_asks_first(client, funder_user, finalist):
    award = AwardFactory(entry=finalist, title="Finalist grant")
    url = reverse("challenges:award_remove", kwargs={"slug": finalist.challenge.slug, "pk": award.pk})
    client.force_login(funder_user)
    assert client.get(url).status_code == 405
    response = client.post(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Remove “Finalist grant” awarded to {finalist.solution.group.name}?" in page
    assert 'name="confirm" value="yes"' in page
    assert Award.objects.exists()
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert not Award.objects.exists()


# --- The public challenge page ---------------------------------------------------------------------------


def test_the_challenge_page_shows_the_awards_of_public_entries_with_the_exports(client, finalist):
    AwardFactory(entry=finalist, title="Finalist grant", amount=Decimal("1500.50"), awarded_on=dt.date(2026, 2, 3))
    page = client.get(finalist.challenge.get_absolute_url()).content.decode()
    assert "Finalist grant" in page and "£1,500.50" in page and "3 February 2026" in page
    assert finalist.solution.group.name in page
    slug = finalist.challenge.slug
    assert reverse("challenges:awards_360giving_json", kwargs={"slug": slug}) in page
    assert reverse("challenges:awards_360giving_csv", kwargs={"slug": slug}) in page


def test_a_challenge_without_public_awards_shows_no_awards_section(client, finalist):
    page = client.get(finalist.challenge.get_absolute_url()).content.decode()
    assert 'id="awards-title"' not in page
    assert "360giving" not in page


def hidden_and_unpublished_awards(winners):
    """One award of each kind the public must never see, each titled by why."""
    now = timezone.now()
    awards = {
        "entry hidden": AwardFactory(entry=EntryFactory(challenge=winners, status="winner", hidden_at=now)),
        "solution hidden": AwardFactory(
            entry=EntryFactory(challenge=winners, status="winner", solution=SolutionFactory(hidden_at=now))
        ),
        "group hidden": AwardFactory(
            entry=EntryFactory(
                challenge=winners, status="winner", solution=SolutionFactory(group=GroupFactory(hidden_at=now))
            )
        ),
        # Published "shortlisted and later": a finalist's grant once it is not selected as a winner.
        "entry not public": AwardFactory(entry=EntryFactory(challenge=winners, status=EntryStatus.FINALIST)),
    }
    type(awards["entry not public"].entry).objects.filter(pk=awards["entry not public"].entry_id).update(
        status=EntryStatus.NOT_SELECTED
    )
    for reason, award in awards.items():
        Award.objects.filter(pk=award.pk).update(title=f"Never shown: {reason}")
    return awards


def test_awards_of_hidden_or_unpublished_entries_are_never_public(client, funder, winners, finalist):
    shown = AwardFactory(entry=finalist, title="Shown to all")
    hidden = hidden_and_unpublished_awards(winners)
    draft = ChallengeFactory(funder=funder, stage=ChallengeStage.DRAFT)
    in_draft = AwardFactory(entry=EntryFactory(challenge=draft, status=EntryStatus.WINNER), title="Never shown: draft")

    assert list(selectors.public_awards()) == [shown]
    assert list(selectors.public_awards_of(challenge=winners)) == [shown]
    assert not selectors.public_awards_of(challenge=draft).exists()
    page = client.get(winners.get_absolute_url()).content.decode()
    assert "Shown to all" in page and "Never shown" not in page
    assert len(hidden) == 4 and in_draft.pk


def test_all_entries_published_shows_the_awards_of_entries_not_selected(client, funder):
    challenge = ChallengeFactory(funder=funder, stage=ChallengeStage.WINNERS, publish_entries="all")
    award = AwardFactory(entry=EntryFactory(challenge=challenge, status=EntryStatus.FINALIST), title="Grant kept")
    type(award.entry).objects.filter(pk=award.entry_id).update(status=EntryStatus.NOT_SELECTED)
    assert list(selectors.public_awards_of(challenge=challenge)) == [award]
    assert "Grant kept" in client.get(challenge.get_absolute_url()).content.decode()


def test_awards_are_listed_oldest_first_with_what_the_page_needs(django_assert_num_queries, winners):
    late = AwardFactory(entry=EntryFactory(challenge=winners, status="winner"), awarded_on=dt.date(2026, 5, 1))
    early = AwardFactory(entry=EntryFactory(challenge=winners, status="winner"), awarded_on=dt.date(2026, 1, 1))
    with django_assert_num_queries(1):
        awards = list(selectors.public_awards())
        names = [(a.entry.solution.group.name, a.entry.challenge.funder.name) for a in awards]
    assert awards == [early, late] and len(names) == 2


@pytest.mark.parametrize("size", [2, 12])
def test_the_challenge_page_takes_the_same_queries_for_any_number_of_awards(
    client, winners, django_assert_max_num_queries, size
):
    for _ in range(size):
        AwardFactory(entry=EntryFactory(challenge=winners, status=EntryStatus.WINNER))
    with django_assert_max_num_queries(7):
        response = client.get(winners.get_absolute_url())
    assert len(response.context["awards"]) == size
