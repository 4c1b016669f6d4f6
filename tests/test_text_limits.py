"""Every free text a person writes has a maximum: the form refuses more with a clear message and
keeps what was typed, the database refuses more whatever wrote it, and search indexing of the
longest allowed text never fails."""

import datetime as dt
import random
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.urls import reverse
from django.utils import timezone

from challenges.models import Solution, Update
from core.db import LimitedTextField
from core.markdown import RenderedMarkdownField
from groups.models import Action
from tests.factories import GroupFactory, SolutionFactory, UpdateFactory

from .challenges.conftest import solution_post, update_post

pytestmark = pytest.mark.django_db

OUR_APPS = {"groups", "challenges", "learning", "accounts", "moderation"}

# A megabyte of distinct words: what the attack posted into solution and lesson fields.
MEGABYTE_OF_WORDS = " ".join(f"word{n}" for n in range(120_000))


def our_text_fields():
    """Every text column a person writes: not the HTML rendered from one (bounded by its text's limit,
    and longer than it wherever Markdown escapes a character)."""
    for model in apps.get_models():
        if model._meta.app_label in OUR_APPS:
            for field in model._meta.get_fields():
                if isinstance(field, models.TextField) and not isinstance(field, RenderedMarkdownField):
                    yield model, field


def test_every_free_text_column_of_ours_has_a_limit():
    unlimited = [
        f"{model.__name__}.{field.name}"
        for model, field in our_text_fields()
        if not isinstance(field, LimitedTextField)
    ]
    assert list(our_text_fields()) and not unlimited


@pytest.mark.parametrize(
    ("model", "field"), [pytest.param(m, f, id=f"{m.__name__}.{f.name}") for m, f in our_text_fields()]
)
def test_the_table_carries_a_length_check_for_the_limit(model, field):
    """Written around the forms (a script, a bulk load), text past the limit is refused by the table."""
    name = f"{model._meta.db_table}_{field.column}_max_length"
    with connection.cursor() as cursor:
        in_database = connection.introspection.get_constraints(cursor, model._meta.db_table)
    assert in_database[name]["check"]
    constraint = next(c for c in model._meta.constraints if c.name == name)
    constraint.validate(model, model(**{field.attname: "x" * field.max_length}))
    with pytest.raises(ValidationError):
        constraint.validate(model, model(**{field.attname: "x" * (field.max_length + 1)}))


def test_a_megabyte_in_a_solution_is_refused_with_a_message_and_kept(client, group, owner):
    from groups.models import ChallengeArea

    client.force_login(owner)
    area = ChallengeArea.objects.first() or ChallengeArea.objects.create(name="Climate", slug="climate")
    url = reverse("challenges:solution_create", kwargs={"group_slug": group.slug})
    response = client.post(url, solution_post(area, problem=MEGABYTE_OF_WORDS, approach="Short and fine."))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ensure this value has at most 5000 characters" in page or "at most 5,000 characters" in page
    assert "Short and fine." in page and "word119999" in page
    assert not Solution.objects.filter(group=group).exists()


def test_a_megabyte_in_a_lesson_is_refused_with_a_message(client, group, owner):
    client.force_login(owner)
    solution = SolutionFactory(group=group)
    url = reverse("challenges:update_create", kwargs={"group_slug": group.slug, "slug": solution.slug})
    response = client.post(url, update_post(what_worked=MEGABYTE_OF_WORDS))
    assert response.status_code == 400
    assert "at most 3" in response.content.decode()
    assert not Update.objects.filter(solution=solution).exists()


def test_a_megabyte_group_description_is_refused(client, group, owner):
    client.force_login(owner)
    edit = reverse("groups:edit", kwargs={"slug": group.slug})
    form = client.get(edit)
    assert form.status_code == 200
    data = {
        "name": group.name,
        "summary": group.summary,
        "place_name": group.place_name,
        "postcode_district": group.postcode_district,
        "area_kind": group.area_kind,
        "deprivation_decile": group.deprivation_decile or "",
        "population": group.population or "",
        "challenge_areas": [str(pk) for pk in group.challenge_areas.values_list("pk", flat=True)],
        "description": "x" * 1_000_000,
        "version": getattr(group, "version", ""),
    }
    response = client.post(edit, data)
    assert response.status_code == 400
    assert "at most 10" in response.content.decode()
    group.refresh_from_db()
    assert len(group.description) < 1_000_000


# A name pasted from elsewhere, 300 characters long: past every name and title limit (120 or 140).
PASTED_NAME = ("Pasted name " * 25)[:-1] + "!"


def group_edit_data(group, **overrides):
    data = {
        "name": group.name,
        "summary": group.summary,
        "description": group.description,
        "place_name": group.place_name,
        "postcode_district": group.postcode_district,
        "area_kind": group.area_kind,
        "deprivation_decile": group.deprivation_decile or "",
        "population": group.population or "",
        "challenge_areas": [str(pk) for pk in group.challenge_areas.values_list("pk", flat=True)],
        "region": group.region,
        "version": group.version,
    }
    return {**data, **overrides}


def text_input(html, name):
    return re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html).group(0)


@pytest.mark.parametrize(
    ("page", "field", "limit"),
    [("group", "name", 120), ("group", "summary", 280), ("solution", "title", 140), ("action", "title", 120)],
)
def test_forms_say_the_limit_and_do_not_let_the_browser_cut_text(client, group, owner, page, field, limit):
    """No maxlength (a browser cuts pasted text there without a word); the hint says the limit instead."""
    client.force_login(owner)
    url = {
        "group": reverse("groups:edit", kwargs={"slug": group.slug}),
        "solution": reverse("challenges:solution_create", kwargs={"group_slug": group.slug}),
        "action": reverse("groups:action_create", kwargs={"slug": group.slug}),
    }[page]
    html = client.get(url).content.decode()
    assert "maxlength" not in text_input(html, field)
    hint = re.search(rf'<div class="hint" id="id_{field}_helptext">([^<]*)</div>', html).group(1)
    assert hint.endswith(f"Up to {limit} characters.")
    assert f'aria-describedby="id_{field}_helptext' in text_input(html, field)


def test_a_pasted_group_name_past_the_limit_is_refused_with_a_message_and_kept(client, group, owner):
    client.force_login(owner)
    response = client.post(
        reverse("groups:edit", kwargs={"slug": group.slug}), group_edit_data(group, name=PASTED_NAME)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ensure this value has at most 120 characters (it has 300)." in html
    assert f'value="{PASTED_NAME}"' in text_input(html, "name")
    group.refresh_from_db()
    assert group.name != PASTED_NAME and group.version == 1


def test_a_pasted_solution_title_past_the_limit_is_refused_with_a_message_and_kept(client, group, owner):
    from groups.models import ChallengeArea

    client.force_login(owner)
    area = ChallengeArea.objects.first() or ChallengeArea.objects.create(name="Climate", slug="climate")
    url = reverse("challenges:solution_create", kwargs={"group_slug": group.slug})
    response = client.post(url, solution_post(area, title=PASTED_NAME))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ensure this value has at most 140 characters (it has 300)." in html
    assert f'value="{PASTED_NAME}"' in text_input(html, "title")
    assert not Solution.objects.filter(group=group).exists()


def test_a_pasted_action_title_past_the_limit_is_refused_with_a_message_and_kept(client, group, owner):
    client.force_login(owner)
    starts = timezone.localtime() + dt.timedelta(days=10)
    data = {
        "title": PASTED_NAME,
        "description": "",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place_name": "",
        "postcode_district": "",
        "capacity": "20",
        "accessibility_notes": "",
    }
    response = client.post(reverse("groups:action_create", kwargs={"slug": group.slug}), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ensure this value has at most 120 characters (it has 300)." in html
    assert f'value="{PASTED_NAME}"' in text_input(html, "title")
    assert not Action.objects.filter(group=group).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored tsvector column exists on PostgreSQL only")
def test_the_longest_allowed_texts_of_distinct_words_are_indexed_for_search(group):
    """PostgreSQL refuses a tsvector over 1 MB ("string is too long for tsvector"): the longest text
    each field allows, all distinct words, stays far below it."""
    rng = random.Random(7)

    def words(limit):
        text = ""
        while len(text) < limit - 20:
            text += "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 12))) + " "
        return text[:limit]

    solution = SolutionFactory(group=group, problem=words(5_000), approach=words(5_000), why_here=words(5_000))
    update = UpdateFactory(
        solution=solution, what_worked=words(3_000), what_didnt=words(3_000), do_differently=words(3_000)
    )
    group.description = words(10_000)
    group.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT length(search_document) FROM challenges_solution WHERE id = %s", [solution.pk])
        assert cursor.fetchone()[0] > 1000
        cursor.execute("SELECT length(search_document) FROM challenges_update WHERE id = %s", [update.pk])
        assert cursor.fetchone()[0] > 500


def test_saving_past_the_limit_is_refused_by_the_database_itself(group):
    """No form, no validation: an UPDATE statement that stores too much is refused."""
    solution = SolutionFactory(group=group)
    with pytest.raises(IntegrityError), transaction.atomic():
        Solution.objects.filter(pk=solution.pk).update(problem="x" * 5_001)
    update = UpdateFactory(solution=solution)
    with pytest.raises(IntegrityError), transaction.atomic():
        Update.objects.filter(pk=update.pk).update(what_worked="x" * 3_001)
    other = GroupFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(other).objects.filter(pk=other.pk).update(description="x" * 10_001)
