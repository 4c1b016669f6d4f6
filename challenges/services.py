"""Writes for solutions, their metrics, and progress updates.

Views check who may act (`groups.permissions`) and call one of these; each validates with
`full_clean()`, writes in one transaction, and raises a `ValidationError` (or a subclass below)
with a message for people when it refuses. What a person writes passes `core.posting`'s rules
first (suspension, links, repeats, a new account's hourly limit), which refuse with a `PostingRefused`.

Peer matching reads what is published: a write that changes a published solution or update, or publishes
or unpublishes one, announces `group_context_changed` so the group's peers are recomputed after commit.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.posting import check_post
from core.refusals import Refused, StaleEdit
from groups.models import ChallengeArea, Group
from groups.notifications import record_group_activity
from groups.signals import announce_group_context_changed

from .models import ApproachTag, Metric, MetricReading, Solution, SolutionMetric, Stage, Status, Update, UpdateImage

MAX_TAGS = 10
MAX_TAG_LENGTH = 60
MAX_OWN_METRICS = 3
MAX_IMAGES = 4
# Path segments a solution slug may not take, because a URL under the group uses them.
RESERVED_SLUGS = {"new"}


STALE_SOLUTION = gettext_lazy(
    "Someone else saved this solution while you were editing. Your changes are not saved — "
    "your text is kept below; compare and save again."
)


class MetricInUse(Refused):
    """A metric with readings cannot be taken off a solution: readings are never silently deleted."""

    def __init__(self, metrics: Sequence[Metric]):
        self.metrics = list(metrics)
        names = ", ".join(f"“{metric.name}”" for metric in self.metrics)
        # Translators: %(names)s is one or more metric names, each in quotes, separated by commas.
        message = ngettext(
            "%(names)s already has readings, so it cannot be removed from this solution. "
            "Keep the metric ticked; its readings stay on the solution's page.",
            "%(names)s already have readings, so they cannot be removed from this solution. "
            "Keep the metric ticked; its readings stay on the solution's page.",
            len(self.metrics),
        ) % {"names": names}
        super().__init__(message, code="metric_in_use")


@dataclass(frozen=True)
class NewMetric:
    """One of a group's own metrics, typed in on the solution form."""

    name: str
    unit: str
    target: Decimal | None = None


@dataclass(frozen=True)
class ReadingInput:
    value: Decimal
    measured_on: dt.date


@dataclass(frozen=True)
class NewImage:
    file: File
    alt_text: str


# --- Solutions ---------------------------------------------------------------------------------------


def _solution_text(title, problem, approach, why_here, who_involved, resources_needed) -> dict[str, str]:
    """A solution's words, as the posting rules read and compare them."""
    return {
        "title": title,
        "problem": problem,
        "approach": approach,
        "why_here": why_here,
        "who_involved": who_involved,
        "resources_needed": resources_needed,
    }


def create_solution(
    *,
    group: Group,
    title: str,
    challenge_area: ChallengeArea,
    problem: str,
    approach: str,
    why_here: str,
    who_involved: str = "",
    resources_needed: str = "",
    stage: str = Stage.IDEA,
    status: str = Status.DRAFT,
    tags: Sequence[str] = (),
    metric_targets: Mapping[int, Decimal | None] | None = None,
    new_metrics: Sequence[NewMetric] = (),
    by=None,
) -> Solution:
    """Create a group's solution with a slug unique within the group, its tags and its metrics.

    `by` is the person writing it: refused (PostingRefused) if they are suspended, put in too many
    links, or the group posted exactly this solution in the last day. None only for writes no person
    makes through the site (seeding, imports).
    """
    if by is not None:
        check_post(
            user=by,
            kind="solution",
            content=_solution_text(title, problem, approach, why_here, who_involved, resources_needed),
            compare_with=Solution.objects.filter(group=group),
        )
    with transaction.atomic():
        solution = Solution(
            group=group,
            title=title,
            slug=_unique_slug(group=group, title=title),
            challenge_area=challenge_area,
            problem=problem,
            approach=approach,
            why_here=why_here,
            who_involved=who_involved,
            resources_needed=resources_needed,
            stage=stage,
            status=status,
        )
        solution.full_clean()
        _save_with_free_slug(solution)
        solution.approach_tags.set(_tags_named(tags))
        _set_metrics(solution=solution, metric_targets=metric_targets or {}, new_metrics=new_metrics)
        _peers_follow(group_id=group.pk, statuses=[solution.status])
    return solution


def _peers_follow(*, group_id: int, statuses: Sequence[str]) -> None:
    """The matcher reads only published solutions and updates: when the item written is, or was,
    published, the group's peers (and the lists it enters or leaves) are recomputed after commit."""
    if Status.PUBLISHED in statuses:
        announce_group_context_changed(group_id)


def _save_with_free_slug(solution: Solution, attempts: int = 3) -> None:
    # Two people saving the same title at once can both pick the same free slug: the database
    # constraint refuses the second, which then takes the next one.
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                solution.save()
            return
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            solution.slug = _unique_slug(group=solution.group, title=solution.title)


def edit_solution(
    *,
    solution: Solution,
    based_on_version: int,
    title: str,
    challenge_area: ChallengeArea,
    problem: str,
    approach: str,
    why_here: str,
    who_involved: str = "",
    resources_needed: str = "",
    stage: str = Stage.IDEA,
    status: str = Status.DRAFT,
    tags: Sequence[str] = (),
    metric_targets: Mapping[int, Decimal | None] | None = None,
    new_metrics: Sequence[NewMetric] = (),
    by=None,
) -> Solution:
    """Save an edit made on `based_on_version`, or raise StaleEdit if someone saved since.

    The version is claimed with a conditional UPDATE first, so of two concurrent saves based on
    the same version exactly one succeeds. The slug is kept: links to the solution keep working.
    `by` (the person editing) passes the posting rules as in `create_solution`.
    """
    if by is not None:
        check_post(
            user=by,
            kind="solution",
            content=_solution_text(title, problem, approach, why_here, who_involved, resources_needed),
            compare_with=Solution.objects.filter(group_id=solution.group_id).exclude(pk=solution.pk),
        )
    with transaction.atomic():
        claimed = Solution.objects.filter(pk=solution.pk, version=based_on_version).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        if not claimed:
            current = Solution.objects.filter(pk=solution.pk).values_list("version", flat=True).first()
            raise StaleEdit(STALE_SOLUTION, current=current or based_on_version)
        solution.refresh_from_db()
        was = solution.status
        solution.title = title
        solution.challenge_area = challenge_area
        solution.problem = problem
        solution.approach = approach
        solution.why_here = why_here
        solution.who_involved = who_involved
        solution.resources_needed = resources_needed
        solution.stage = stage
        solution.status = status
        solution.full_clean()
        solution.save()
        solution.approach_tags.set(_tags_named(tags))
        _set_metrics(solution=solution, metric_targets=metric_targets or {}, new_metrics=new_metrics)
        _peers_follow(group_id=solution.group_id, statuses=[was, solution.status])
    return solution


def clean_tag_names(text: str) -> list[str]:
    """Split comma-separated tag names: trimmed, inner spaces collapsed, duplicates dropped.

    Raises ValidationError if there are too many or one is too long or has no letters or digits.
    """
    names: list[str] = []
    seen: set[str] = set()
    for raw in (text or "").split(","):
        name = " ".join(raw.split())
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationError(
                # Translators: %(tag)s is the start of a tag someone typed; %(max)s a number of characters.
                ngettext(
                    "“%(tag)s…” is too long: a tag can have at most %(max)s character.",
                    "“%(tag)s…” is too long: a tag can have at most %(max)s characters.",
                    MAX_TAG_LENGTH,
                )
                % {"tag": name[:20], "max": MAX_TAG_LENGTH},
                code="tag_too_long",
            )
        key = slugify(name)
        if not key:
            raise ValidationError(
                _("“%(tag)s” needs at least one letter or digit.") % {"tag": name}, code="tag_no_letters"
            )
        if key not in seen:
            seen.add(key)
            names.append(name)
    if len(names) > MAX_TAGS:
        raise ValidationError(
            # Translators: %(max)s is the largest number of tags allowed, %(given)s how many were typed.
            ngettext(
                "Please use at most %(max)s tag (you gave %(given)s).",
                "Please use at most %(max)s tags (you gave %(given)s).",
                MAX_TAGS,
            )
            % {"max": MAX_TAGS, "given": len(names)},
            code="too_many_tags",
        )
    return names


def _tags_named(names: Sequence[str]) -> list[ApproachTag]:
    """Existing tags matched by slug (so “Street patrols” and “street patrols” are one), others created."""
    names = clean_tag_names(",".join(names))
    by_slug = {slugify(name): name for name in names}
    existing = {tag.slug: tag for tag in ApproachTag.objects.filter(slug__in=by_slug)}
    tags = []
    for slug, name in by_slug.items():
        tag = existing.get(slug)
        if tag is None:
            tag = ApproachTag(name=name, slug=slug)
            tag.full_clean(validate_unique=False)
            # get_or_create absorbs a concurrent creation of the same tag.
            tag, _created = ApproachTag.objects.get_or_create(slug=slug, defaults={"name": name})
        tags.append(tag)
    return tags


def _unique_slug(*, group: Group, title: str) -> str:
    max_length = Solution._meta.get_field("slug").max_length
    base = slugify(title)[: max_length - 6].strip("-") or "solution"
    taken = set(group.solutions.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _set_metrics(
    *, solution: Solution, metric_targets: Mapping[int, Decimal | None], new_metrics: Sequence[NewMetric]
) -> None:
    """Make the solution's metrics exactly the ticked ones plus the new ones, with their targets.

    Metrics must be on the shared list or the group's own. A metric with readings is never
    removed (MetricInUse); a solution uses at most MAX_OWN_METRICS of its group's own metrics.
    """
    group = solution.group
    wanted: dict[int, Decimal | None] = dict(metric_targets)
    allowed = set(Metric.objects.filter(Q(group=None) | Q(group=group), pk__in=wanted).values_list("pk", flat=True))
    if allowed != set(wanted):
        raise ValidationError(_("Choose metrics from the shared list or your group's own."), code="bad_metric")
    for new in new_metrics:
        metric = _group_metric(group=group, name=new.name, unit=new.unit)
        if new.target is not None or metric.pk not in wanted:
            wanted[metric.pk] = new.target

    own_count = Metric.objects.filter(pk__in=wanted, group=group).count()
    if own_count > MAX_OWN_METRICS:
        raise ValidationError(
            # Translators: %(max)s is the largest number of the group's own metrics allowed, %(chosen)s how many
            # were chosen.
            ngettext(
                "A solution can use at most %(max)s of your group's own metrics (you chose %(chosen)s). "
                "Metrics from the shared list make your results comparable with other places.",
                "A solution can use at most %(max)s of your group's own metrics (you chose %(chosen)s). "
                "Metrics from the shared list make your results comparable with other places.",
                MAX_OWN_METRICS,
            )
            % {"max": MAX_OWN_METRICS, "chosen": own_count},
            code="too_many_own_metrics",
        )

    current = {sm.metric_id: sm for sm in solution.solution_metrics.select_related("metric")}
    dropped = [current[pk] for pk in current.keys() - wanted.keys()]
    in_use = [sm.metric for sm in dropped if sm.readings.exists()]
    if in_use:
        raise MetricInUse(in_use)
    SolutionMetric.objects.filter(pk__in=[sm.pk for sm in dropped]).delete()
    for metric_pk, target in wanted.items():
        solution_metric = current.get(metric_pk)
        if solution_metric is None:
            solution_metric = SolutionMetric(solution=solution, metric_id=metric_pk, target=target)
        elif solution_metric.target == target:
            continue
        solution_metric.target = target
        solution_metric.full_clean(validate_constraints=False)
        solution_metric.save()


def _group_metric(*, group: Group, name: str, unit: str) -> Metric:
    """The group's metric with this name and unit (any letter case), created if new."""
    name, unit = " ".join(name.split()), " ".join(unit.split())
    metric = Metric.objects.filter(group=group, name__iexact=name, unit__iexact=unit).first()
    if metric is None:
        metric = Metric(group=group, name=name, unit=unit)
        metric.full_clean()
        metric.save()
    return metric


# --- Updates -----------------------------------------------------------------------------------------


def _update_text(title, body, what_worked, what_didnt, do_differently) -> dict[str, str]:
    """An update's words, as the posting rules read and compare them."""
    return {
        "title": title,
        "body": body,
        "what_worked": what_worked,
        "what_didnt": what_didnt,
        "do_differently": do_differently,
    }


def create_update(
    *,
    solution: Solution,
    author,
    title: str,
    body: str,
    status: str = Status.PUBLISHED,
    what_worked: str = "",
    what_didnt: str = "",
    do_differently: str = "",
    readings: Mapping[int, ReadingInput] | None = None,
    images: Sequence[NewImage] = (),
) -> Update:
    """Post a progress update with its readings (keyed by SolutionMetric id) and images.

    `published_at` is set when the update is first published. Refused (PostingRefused) if the author
    is suspended, puts in too many links or posted exactly this update in the last day, and
    (PostingRateLimited) past a new account's hourly limit.
    """
    with transaction.atomic():
        if author is not None:
            own_updates = Update.objects.filter(author=author)
            check_post(
                user=author,
                kind="update",
                content=_update_text(title, body, what_worked, what_didnt, do_differently),
                counted=own_updates,
                compare_with=own_updates,
            )
        update = Update(
            solution=solution,
            author=author,
            title=title,
            body=body,
            status=status,
            what_worked=what_worked,
            what_didnt=what_didnt,
            do_differently=do_differently,
            published_at=timezone.now() if status == Status.PUBLISHED else None,
        )
        update.full_clean()
        update.save()
        if update.status == Status.PUBLISHED:
            _tell_followers(update)
        _set_readings(update=update, readings=readings or {})
        _add_images(update=update, images=images, keep=0)
        _peers_follow(group_id=solution.group_id, statuses=[update.status])
    return update


def edit_update(
    *,
    update: Update,
    title: str,
    body: str,
    status: str,
    what_worked: str = "",
    what_didnt: str = "",
    do_differently: str = "",
    readings: Mapping[int, ReadingInput] | None = None,
    images: Sequence[NewImage] = (),
    remove_image_ids: Sequence[int] = (),
    by=None,
) -> Update:
    """Change an update. Readings recorded in it are replaced by `readings` (a metric left out
    loses the reading this update recorded); images in `remove_image_ids` are deleted.

    The first publication sets `published_at`; it is kept if the update goes back to draft.
    `by` (the person editing) is refused (PostingRefused) if suspended or adding too many links, or if
    the text becomes exactly that of another update its author posted in the last day.
    """
    if by is not None:
        check_post(
            user=by,
            kind="update",
            content=_update_text(title, body, what_worked, what_didnt, do_differently),
            compare_with=(
                Update.objects.filter(author_id=update.author_id).exclude(pk=update.pk) if update.author_id else None
            ),
        )
    with transaction.atomic():
        was = Update.objects.filter(pk=update.pk).values_list("status", flat=True).first()
        update.title = title
        update.body = body
        update.status = status
        update.what_worked = what_worked
        update.what_didnt = what_didnt
        update.do_differently = do_differently
        first_publication = status == Status.PUBLISHED and update.published_at is None
        if first_publication:
            update.published_at = timezone.now()
        update.full_clean()
        update.save()
        if first_publication:
            _tell_followers(update)
        _set_readings(update=update, readings=readings or {})
        removed = list(update.images.filter(pk__in=remove_image_ids))
        for image in removed:
            image.image.delete(save=False)
            image.delete()
        _add_images(update=update, images=images, keep=update.images.count())
        _peers_follow(group_id=update.solution.group_id, statuses=[was, update.status])
    return update


def _tell_followers(update: Update) -> None:
    """Record the newly published update as the group's activity; followers are mailed after commit."""
    group = update.solution.group
    record_group_activity(group_id=group.pk, kind="update", title=update.title, subject=update)


def _set_readings(*, update: Update, readings: Mapping[int, ReadingInput]) -> None:
    metric_ids = set(update.solution.solution_metrics.values_list("pk", flat=True))
    if not set(readings) <= metric_ids:
        raise ValidationError(_("Readings can only be recorded for this solution's metrics."), code="bad_metric")
    today = timezone.localdate()
    existing = {reading.solution_metric_id: reading for reading in update.readings.all()}
    update.readings.exclude(solution_metric_id__in=list(readings)).delete()
    for solution_metric_id, given in readings.items():
        if given.measured_on > today:
            raise ValidationError(_("A reading's date cannot be in the future."), code="future_date")
        reading = existing.get(solution_metric_id) or MetricReading(
            update=update, solution_metric_id=solution_metric_id
        )
        reading.value = given.value
        reading.measured_on = given.measured_on
        reading.full_clean()
        reading.save()


def _add_images(*, update: Update, images: Sequence[NewImage], keep: int) -> None:
    if keep + len(images) > MAX_IMAGES:
        raise ValidationError(
            ngettext(
                "An update can have at most %(max)s image.", "An update can have at most %(max)s images.", MAX_IMAGES
            )
            % {"max": MAX_IMAGES},
            code="too_many_images",
        )
    for new in images:
        if not new.alt_text.strip():
            raise ValidationError(_("Every image needs a description for people who cannot see it."), code="no_alt")
        image = UpdateImage(update=update, alt_text=new.alt_text.strip())
        image.image.save(new.file.name, new.file, save=False)
        image.full_clean()
        image.save()
