"""Posting and editing progress updates through the forms."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from challenges.models import Update
from tests.factories import MetricReadingFactory, SolutionMetricFactory, UpdateFactory

from .conftest import png_upload, update_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def metric(solution):
    return SolutionMetricFactory(solution=solution, metric__name="Homes insulated", metric__unit="homes", target=100)


def create_url(solution):
    return reverse("challenges:update_create", kwargs={"group_slug": solution.group.slug, "slug": solution.slug})


def edit_url(update):
    return reverse(
        "challenges:update_edit",
        kwargs={"group_slug": update.solution.group.slug, "slug": update.solution.slug, "pk": update.pk},
    )


def test_organiser_posts_an_update_with_a_reading_a_picture_and_lessons(client, organiser, solution, metric):
    client.force_login(organiser)
    form = client.get(create_url(solution)).content.decode()
    assert "Homes insulated" in form and f'name="readings-value_{metric.pk}"' in form
    assert 'enctype="multipart/form-data"' in form

    data = update_post(
        what_worked="Going door to door.",
        do_differently="Start in autumn.",
        **{
            f"readings-value_{metric.pk}": "40",
            f"readings-date_{metric.pk}": "2026-01-05",
            "images-image_1": png_upload(),
            "images-alt_1": "Two volunteers fitting a draught strip",
        },
    )
    response = client.post(create_url(solution), data)
    update = Update.objects.get()
    assert response.status_code == 302 and response["Location"] == update.get_absolute_url()
    assert update.author == organiser and update.published_at is not None
    reading = update.readings.get()
    assert reading.value == Decimal("40") and reading.measured_on == dt.date(2026, 1, 5)

    page = client.get(update.get_absolute_url()).content.decode()
    assert "<em>forty</em>" in page
    assert 'alt="Two volunteers fitting a draught strip"' in page
    assert "Going door to door." in page and "Start in autumn." in page
    assert "Measured results" in page and "40" in page


def test_uk_typed_dates_are_accepted(client, owner, solution, metric):
    client.force_login(owner)
    response = client.post(
        create_url(solution),
        update_post(**{f"readings-value_{metric.pk}": "12.5", f"readings-date_{metric.pk}": "05/01/2026"}),
    )
    assert response.status_code == 302
    assert Update.objects.get().readings.get().measured_on == dt.date(2026, 1, 5)


TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("fields", "message", "kept"),
    [
        ({"title": ""}, "This field is required.", "We visited *forty* homes."),
        ({"value": "forty", "date": "2026-01-05"}, "Enter a number, for example 1200 or 12.5.", "forty"),
        ({"value": "40", "date": TOMORROW}, "The date cannot be in the future.", TOMORROW),
        ({"value": "40", "date": ""}, "Enter the date this value was measured.", 'value="40"'),
        ({"value": "", "date": "2026-01-05"}, "Enter the value measured on this date", "2026-01-05"),
        ({"value": "40", "date": "31/02/2026"}, "Enter a valid date.", "31/02/2026"),
        # A range reached the server empty from a number box, and the reading was dropped without a word.
        ({"value": "10-12", "date": "2026-01-05"}, "Enter one number, not a range", 'value="10-12"'),
        ({"value": "10 to 12", "date": ""}, "Enter one number, not a range", 'value="10 to 12"'),
        ({"value": "12.5 kg", "date": "2026-01-05"}, "Enter a number, for example 1200 or 12.5.", 'value="12.5 kg"'),
        ({"value": "1,20", "date": "2026-01-05"}, "Enter a number", 'value="1,20"'),
    ],
)
def test_bad_readings_are_shown_again_with_the_message_and_typed_text(
    client, owner, solution, metric, fields, message, kept
):
    client.force_login(owner)
    data = update_post(title=fields.get("title", "Forty homes done"))
    data[f"readings-value_{metric.pk}"] = fields.get("value", "")
    data[f"readings-date_{metric.pk}"] = fields.get("date", "")
    response = client.post(create_url(solution), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and kept in html
    assert "We visited *forty* homes." in html
    assert not Update.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(client, owner, solution):
    client.force_login(owner)
    fake = SimpleUploadedFile("notes.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(
        create_url(solution), update_post(**{"images-image_1": fake, "images-alt_1": "My typed description"})
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This file is not an image we can read" in html
    assert "My typed description" in html and "We visited *forty* homes." in html
    assert not Update.objects.exists()


def test_a_picture_without_a_description_is_refused(client, owner, solution):
    client.force_login(owner)
    response = client.post(create_url(solution), update_post(**{"images-image_1": png_upload(), "images-alt_1": " "}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Describe what the picture shows" in html
    assert "please choose your pictures again" in html
    assert not Update.objects.exists()


def test_a_draft_update_is_only_seen_by_managers(client, owner, member, solution):
    client.force_login(owner)
    client.post(create_url(solution), update_post(title="Not ready yet", status="draft"))
    update = Update.objects.get()
    assert update.published_at is None
    solution_page = client.get(solution.get_absolute_url()).content.decode()
    assert "Not ready yet" in solution_page and "Draft" in solution_page
    assert client.get(update.get_absolute_url()).status_code == 200

    client.force_login(member)
    assert "Not ready yet" not in client.get(solution.get_absolute_url()).content.decode()
    assert client.get(update.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(update.get_absolute_url()).status_code == 404


def test_editing_an_update_changes_its_reading_and_removes_a_picture(client, owner, solution, metric):
    client.force_login(owner)
    client.post(
        create_url(solution),
        update_post(
            **{
                f"readings-value_{metric.pk}": "40",
                f"readings-date_{metric.pk}": "2026-01-05",
                "images-image_1": png_upload(),
                "images-alt_1": "A ladder",
            }
        ),
    )
    update = Update.objects.get()
    image = update.images.get()
    form = client.get(edit_url(update)).content.decode()
    assert 'value="Forty homes done"' in form and 'value="40' in form and 'value="2026-01-05"' in form
    assert 'alt="A ladder"' in form and 'name="images-image_4"' not in form  # 3 free slots left

    response = client.post(
        edit_url(update),
        update_post(
            title="Forty-two homes done",
            **{
                f"readings-value_{metric.pk}": "42",
                f"readings-date_{metric.pk}": "2026-01-06",
                f"images-remove_{image.pk}": "on",
            },
        ),
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.title == "Forty-two homes done"
    assert update.readings.get().value == Decimal("42")
    assert not update.images.exists()


def test_editing_keeps_readings_of_other_updates(client, owner, solution, metric):
    earlier = MetricReadingFactory(solution_metric=metric, update=UpdateFactory(solution=solution), value=5)
    update = UpdateFactory(solution=solution)
    client.force_login(owner)
    assert client.post(edit_url(update), update_post()).status_code == 302
    assert metric.readings.get() == earlier


@pytest.mark.parametrize(("typed", "stored"), [("1,200", Decimal("1200")), ("12.5 homes", Decimal("12.5")), (" 7 ", Decimal("7"))])
def test_readings_are_read_as_people_type_them(client, owner, solution, metric, typed, stored):
    """Thousands with commas and the metric's own unit after the number are unambiguous: read them."""
    client.force_login(owner)
    data = update_post(**{f"readings-value_{metric.pk}": typed, f"readings-date_{metric.pk}": "2026-01-05"})
    assert client.post(create_url(solution), data).status_code == 302
    assert Update.objects.get().readings.get().value == stored


def test_reading_boxes_are_text_boxes_so_nothing_typed_is_dropped(client, owner, solution, metric):
    client.force_login(owner)
    html = client.get(create_url(solution)).content.decode()
    box = re.search(rf'<input[^>]*name="readings-value_{metric.pk}"[^>]*>', html).group(0)
    assert 'type="text"' in box and 'inputmode="decimal"' in box
