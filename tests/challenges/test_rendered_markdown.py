"""What people write is rendered to HTML once, when it is saved, and pages show that stored HTML."""

import importlib
from operator import attrgetter

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from challenges.models import Solution, Update
from core.markdown import render_markdown, render_stored, rendered_fields
from groups.models import Action, Group
from tests.factories import GroupFactory, SolutionFactory, UpdateFactory
from tests.residents.factories import ActionFactory

from .conftest import solution_post

pytestmark = pytest.mark.django_db

# (factory, model, the text, its HTML) for every text rendered on save.
TEXTS = [
    (GroupFactory, Group, "description", "about_html"),
    (ActionFactory, Action, "description", "description_html"),
    *((SolutionFactory, Solution, field.source, field.attname) for field in rendered_fields(Solution)),
    *((UpdateFactory, Update, field.source, field.attname) for field in rendered_fields(Update)),
]
IDS = [f"{model.__name__}.{text}" for _, model, text, _ in TEXTS]


def test_an_edit_is_shown_rendered_at_once(client, owner, solution):
    client.force_login(owner)
    typed = solution_post(
        solution.challenge_area, problem="Old terraces **leak** heat.", who_involved="- the school\n- the pub"
    )
    url = reverse("challenges:solution_edit", kwargs={"group_slug": solution.group.slug, "slug": solution.slug})
    assert client.post(url, {**typed, "version": "1"}).status_code == 302

    page = client.get(solution.get_absolute_url()).content.decode()
    assert "<p>Old terraces <strong>leak</strong> heat.</p>" in page
    assert "<li>the school</li>" in page and "<li>the pub</li>" in page


def test_pages_show_the_stored_html_without_converting_the_text_again(client, solution):
    update = UpdateFactory(solution=solution, body="As *written*.", what_worked="Asking at the school gate.")
    Update.objects.filter(pk=update.pk).update(body_html="<p>As stored.</p>", what_worked_html="<p>Stored lesson.</p>")
    Solution.objects.filter(pk=solution.pk).update(approach_html="<p>Stored approach.</p>")

    solution_page = client.get(solution.get_absolute_url()).content.decode()
    assert "<p>Stored approach.</p>" in solution_page and "<p>Stored lesson.</p>" in solution_page
    update_page = client.get(update.get_absolute_url()).content.decode()
    assert "<p>As stored.</p>" in update_page and "As <em>written</em>." not in update_page


@pytest.mark.parametrize(("factory", "model", "text", "html"), TEXTS, ids=IDS)
def test_every_save_renders_the_text(factory, model, text, html):
    row = factory(**{text: "First *draft*."})
    stored = model.objects.get(pk=row.pk)
    assert getattr(stored, html) == "<p>First <em>draft</em>.</p>"

    # A save of that field alone renders it too.
    setattr(stored, text, "Second **draft**.")
    stored.save(update_fields=[text])
    assert getattr(model.objects.get(pk=row.pk), html) == "<p>Second <strong>draft</strong>.</p>"


@pytest.mark.parametrize(("factory", "model", "text", "html"), TEXTS, ids=IDS)
def test_hostile_markdown_is_stored_sanitised(factory, model, text, html):
    row = factory(**{text: '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="alert(1)">'})
    stored = getattr(model.objects.get(pk=row.pk), html)
    assert "<script" not in stored and "javascript:" not in stored and "onerror" not in stored


def test_about_leaves_out_a_first_paragraph_that_repeats_the_summary():
    group = GroupFactory(summary="We insulate homes.", description="We insulate  HOMES.\n\nSince *2019*.")
    assert Group.objects.get(pk=group.pk).about_html == "<p>Since <em>2019</em>.</p>"

    # The summary decides what is left out, so changing it alone renders "About" again.
    group.summary = "Warm homes for everyone."
    group.save(update_fields=["summary"])
    assert Group.objects.get(pk=group.pk).about_html == "<p>We insulate  HOMES.</p>\n<p>Since <em>2019</em>.</p>"


def test_bulk_created_rows_are_rendered(group, area):
    (solution,) = Solution.objects.bulk_create(
        [Solution(group=group, title="T", slug="t", challenge_area=area, problem="A", approach="*B*", why_here="C")]
    )
    assert Solution.objects.get(pk=solution.pk).approach_html == "<p><em>B</em></p>"


def test_seeded_groups_are_rendered():
    call_command("seed_scale", groups=5)
    solutions = list(Solution.objects.all())
    assert len(solutions) == 5
    for solution in solutions:
        assert solution.approach_html == render_markdown(solution.approach) and "<li>" in solution.approach_html
    for group in Group.objects.all():
        assert group.about_html == render_markdown(group.about) and group.about_html


@pytest.mark.parametrize(
    ("app", "migration", "models"),
    [("groups", "0014_render_markdown", (Group, Action)), ("challenges", "0015_render_markdown", (Solution, Update))],
)
def test_the_migration_renders_what_was_written_before_it(app, migration, models):
    rows = [
        (model, text, html, factory(**{text: f"Written *before* ({text})."}))
        for factory, model, text, html in TEXTS
        if model in models
    ]
    for model in models:
        model.objects.update(**{html: "" for _, m, _, html in TEXTS if m is model})
    # The models as that migration sees them: historical ones, without the models' properties.
    historical = MigrationExecutor(connection).loader.project_state((app, migration)).apps

    importlib.import_module(f"{app}.migrations.{migration}").render(historical, None)

    for model, text, html, row in rows:
        assert getattr(model.objects.get(pk=row.pk), html) == f"<p>Written <em>before</em> ({text}).</p>"


def test_rendering_again_goes_through_every_batch_and_writes_only_what_changed():
    updates = [UpdateFactory(body=f"Update *{n}*.") for n in range(5)]
    for update in updates[1::2]:
        Update.objects.filter(pk=update.pk).update(body=f"Changed **{update.pk}**.")

    changed = render_stored(Update.objects.all(), {"body_html": attrgetter("body")}, batch_size=2)

    assert changed == 2
    for update in Update.objects.order_by("pk"):
        assert update.body_html == render_markdown(update.body)


@pytest.mark.parametrize(
    "read",
    [lambda groups: groups.defer("description", "about_html"), lambda groups: groups.only("pk")],
    ids=["without its texts", "only its key"],
)
def test_a_row_read_in_part_saves_its_html_too(read):
    group = GroupFactory(summary="We insulate homes.", description="We insulate homes.\n\nSince 2019.")
    partial = read(Group.objects).get(pk=group.pk)
    partial.summary = "Warm homes."
    partial.save()  # Django saves only the fields it read (all of them if it read only the key)
    assert Group.objects.get(pk=group.pk).about_html == "<p>We insulate homes.</p>\n<p>Since 2019.</p>"


def test_an_empty_list_of_fields_still_saves_nothing():
    update = UpdateFactory(body="First.")
    update.body = "Second."
    update.save(update_fields=[])
    assert Update.objects.get(pk=update.pk).body_html == "<p>First.</p>"


def test_render_markdown_puts_right_html_a_write_left_behind(capsys):
    update = UpdateFactory(body="First.")
    other = UpdateFactory(body="# Our \\_story\\_ <div>raw</div>")  # rendering its HTML again would change it
    Update.objects.filter(pk=update.pk).update(body="**Second.**")  # skips save(), as no code of ours does

    call_command("render_markdown")
    assert Update.objects.get(pk=update.pk).body_html == "<p><strong>Second.</strong></p>"
    assert Update.objects.get(pk=other.pk).body_html == render_markdown(other.body)
    assert "challenges.Update: 1 rendered again" in capsys.readouterr().out

    call_command("render_markdown")
    assert "challenges.Update: 0 rendered again" in capsys.readouterr().out
