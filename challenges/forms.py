"""Forms for solutions and updates. They parse and check input; the services in `services.py` write."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.images import process_image

from .models import Metric, Solution, Update, UpdateImage
from .services import MAX_IMAGES, MAX_TAGS, NewImage, NewMetric, ReadingInput, clean_tag_names

NEW_METRIC_ROWS = 3

_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_RANGE = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?\s*(?:-|–|—|to)\s*\d[\d,]*(?:\.\d+)?", re.IGNORECASE)


class TypedNumberField(forms.DecimalField):
    """A number as people type it, in a text box so that nothing typed is lost.

    A browser's number box sends an empty value for text it cannot read ("10-12", "1,200"), so the
    form saw nothing and the reading was silently dropped. Here the text reaches the server: thousands
    separated by commas ("1,200") and the metric's own unit after the number ("12.5 kWh") are read,
    and anything else (a range, a word) comes back with a message and the text as it was typed.
    """

    widget = forms.TextInput

    def __init__(self, *, unit="", **kwargs):
        self.unit = unit.strip()
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": gettext_lazy("Enter a number, for example 1200 or 12.5."),
                "max_decimal_places": gettext_lazy("Use at most 2 decimal places."),
            },
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip()
            if self.unit and text.lower().endswith(self.unit.lower()):
                text = text[: -len(self.unit)].strip()
            if _GROUPED.fullmatch(text):
                text = text.replace(",", "")
            elif _RANGE.fullmatch(text):
                raise ValidationError(
                    _("Enter one number, not a range (for example the middle of it)."),
                    code="range",
                )
            value = text
        return super().to_python(value)

    def prepare_value(self, value):
        # A stored 40.00 is shown as typed, 40; 12.50 as 12.5.
        if isinstance(value, Decimal):
            text = f"{value:f}"
            return text.rstrip("0").rstrip(".") if "." in text else text
        return value


def _date_input():
    # An ISO value so the browser's date picker shows it; typed UK dates are accepted too.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SolutionForm(forms.ModelForm):
    """The solution's text, stage, status and tags. `version` is the version the edit started from."""

    tags = forms.CharField(
        label=gettext_lazy("Approach tags"),
        required=False,
        max_length=1000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Solution
        fields = [
            "title",
            "challenge_area",
            "problem",
            "approach",
            "why_here",
            "who_involved",
            "resources_needed",
            "stage",
            "status",
        ]
        # The fields whose model field has no translatable verbose name: the same words, to translate.
        labels = {
            "title": gettext_lazy("Title"),
            "challenge_area": gettext_lazy("Challenge area"),
            "stage": gettext_lazy("Stage"),
            "status": gettext_lazy("Status"),
        }
        help_texts = {
            "problem": gettext_lazy("What is the problem where you are, and who does it affect? Markdown is allowed."),
            "approach": gettext_lazy("What are you doing about it? Markdown is allowed."),
            "why_here": gettext_lazy(
                "What about your place, people or history makes this approach fit? Markdown is allowed."
            ),
            "status": gettext_lazy("Drafts are only seen by your group's owners and organisers."),
        }
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 6}),
            "approach": forms.Textarea(attrs={"rows": 6}),
            "why_here": forms.Textarea(attrs={"rows": 4}),
            "who_involved": forms.Textarea(attrs={"rows": 3}),
            "resources_needed": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Translators: %(max)s is the largest number of approach tags a solution may have.
        self.fields["tags"].help_text = _(
            "Short names for how you work, separated by commas, e.g. “community energy, street patrols”. Up to %(max)s."
        ) % {"max": MAX_TAGS}
        self.fields["challenge_area"].empty_label = _("Choose a challenge")
        if editing:
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = _("This form is out of date. Please reload the page.")
        else:
            del self.fields["version"]

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("Enter a title."), code="required")
        return title

    def clean_tags(self):
        return clean_tag_names(self.cleaned_data["tags"])

    def solution_fields(self) -> dict:
        """Cleaned values as keyword arguments for `create_solution` / `edit_solution`."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["tags"] = self.cleaned_data["tags"]
        return data

    @staticmethod
    def initial_for(solution: Solution) -> dict:
        initial = forms.models.model_to_dict(solution, fields=SolutionForm.Meta.fields)
        initial["tags"] = ", ".join(tag.name for tag in solution.approach_tags.all())
        initial["version"] = solution.version
        return initial


class MetricRow:
    """One metric on the solution form: a tick box and its target, drawn as a table row."""

    def __init__(self, metric, use, target):
        self.metric, self.use, self.target = metric, use, target


class NewMetricRow:
    def __init__(self, number, name, unit, target):
        self.number, self.name, self.unit, self.target = number, name, unit, target


class SolutionMetricsForm(forms.Form):
    """Tick metrics from the shared list or the group's own, each with an optional target,
    and type in up to NEW_METRIC_ROWS new ones for the group. Works without JavaScript."""

    def __init__(self, *args, group, solution=None, **kwargs):
        kwargs.setdefault("prefix", "metrics")
        super().__init__(*args, **kwargs)
        self.metrics = list(Metric.objects.filter(group=None)) + list(Metric.objects.filter(group=group))
        if solution is not None:
            # The solution as saved: what an empty form shows, and what an edit refused as stale compares with.
            current = {sm.metric_id: sm.target for sm in solution.solution_metrics.all()}
            for metric in self.metrics:
                self.initial.setdefault(f"use_{metric.pk}", metric.pk in current)
                self.initial.setdefault(f"target_{metric.pk}", current.get(metric.pk))
        for metric in self.metrics:
            self.fields[f"use_{metric.pk}"] = forms.BooleanField(label=metric.name, required=False)
            self.fields[f"target_{metric.pk}"] = TypedNumberField(
                # Translators: a metric's name and its unit, e.g. "Target for Homes insulated (homes)".
                label=_("Target for %(name)s (%(unit)s)") % {"name": metric.name, "unit": metric.unit},
                unit=metric.unit,
            )
        for n in range(1, NEW_METRIC_ROWS + 1):
            # Translators: %(number)s numbers the rows for new metrics: 1, 2, 3.
            self.fields[f"new_name_{n}"] = forms.CharField(
                label=_("New metric %(number)s: name") % {"number": n}, required=False, max_length=80
            )
            self.fields[f"new_unit_{n}"] = forms.CharField(
                label=_("New metric %(number)s: unit") % {"number": n}, required=False, max_length=40
            )
            self.fields[f"new_target_{n}"] = TypedNumberField(label=_("New metric %(number)s: target") % {"number": n})

    def shared_rows(self):
        return [self._row(metric) for metric in self.metrics if metric.group_id is None]

    def own_rows(self):
        return [self._row(metric) for metric in self.metrics if metric.group_id is not None]

    def _row(self, metric):
        return MetricRow(metric, self[f"use_{metric.pk}"], self[f"target_{metric.pk}"])

    def new_rows(self):
        return [
            NewMetricRow(n, self[f"new_name_{n}"], self[f"new_unit_{n}"], self[f"new_target_{n}"])
            for n in range(1, NEW_METRIC_ROWS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        for n in range(1, NEW_METRIC_ROWS + 1):
            name = (cleaned.get(f"new_name_{n}") or "").strip()
            unit = (cleaned.get(f"new_unit_{n}") or "").strip()
            target = cleaned.get(f"new_target_{n}")
            if name and not unit:
                self.add_error(f"new_unit_{n}", _("Give the unit it is counted in, e.g. “households” or “kg”."))
            elif unit and not name:
                self.add_error(f"new_name_{n}", _("Give the metric a name."))
            elif target is not None and not name:
                self.add_error(f"new_name_{n}", _("Give the metric a name and unit, or clear its target."))
        return cleaned

    def metric_targets(self) -> dict[int, Decimal | None]:
        """Ticked metrics and their targets; a target next to an unticked box is ignored."""
        return {
            metric.pk: self.cleaned_data.get(f"target_{metric.pk}")
            for metric in self.metrics
            if self.cleaned_data.get(f"use_{metric.pk}")
        }

    def new_metrics(self) -> list[NewMetric]:
        return [
            NewMetric(
                name=self.cleaned_data[f"new_name_{n}"].strip(),
                unit=self.cleaned_data[f"new_unit_{n}"].strip(),
                target=self.cleaned_data.get(f"new_target_{n}"),
            )
            for n in range(1, NEW_METRIC_ROWS + 1)
            if (self.cleaned_data.get(f"new_name_{n}") or "").strip()
        ]

    def error_for_metrics(self, metrics, message):
        """Attach a service's refusal to the tick boxes of the metrics it names."""
        for metric in metrics:
            if f"use_{metric.pk}" in self.fields:
                self.add_error(f"use_{metric.pk}", message)
                message = _("This metric has readings.")
        if not metrics:
            self.add_error(None, message)


class UpdateForm(forms.ModelForm):
    class Meta:
        model = Update
        fields = ["title", "body", "status", "what_worked", "what_didnt", "do_differently"]
        labels = {
            "title": gettext_lazy("Title"),
            "body": gettext_lazy("What happened"),
            "status": gettext_lazy("Status"),
            "what_worked": gettext_lazy("What worked"),
        }
        help_texts = {
            "body": gettext_lazy("Markdown is allowed: **bold**, *italic*, lists and links."),
            "status": gettext_lazy("Drafts are only seen by your group's owners and organisers."),
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "what_worked": forms.Textarea(attrs={"rows": 3}),
            "what_didnt": forms.Textarea(attrs={"rows": 3}),
            "do_differently": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("Enter a title."), code="required")
        return title

    def update_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReadingRow:
    def __init__(self, solution_metric, value, measured_on):
        self.solution_metric, self.value, self.measured_on = solution_metric, value, measured_on


class ReadingsForm(forms.Form):
    """One optional reading (value and date) per metric of the solution."""

    def __init__(self, *args, solution_metrics, update=None, **kwargs):
        kwargs.setdefault("prefix", "readings")
        if update is not None and (not args or args[0] is None):
            initial = kwargs.setdefault("initial", {})
            for reading in update.readings.all():
                initial[f"value_{reading.solution_metric_id}"] = reading.value
                initial[f"date_{reading.solution_metric_id}"] = reading.measured_on
        super().__init__(*args, **kwargs)
        self.solution_metrics = list(solution_metrics)
        for sm in self.solution_metrics:
            self.fields[f"value_{sm.pk}"] = TypedNumberField(
                # Translators: a metric's name and its unit, e.g. "Homes insulated (homes)".
                label=_("%(name)s (%(unit)s)") % {"name": sm.metric.name, "unit": sm.metric.unit},
                unit=sm.metric.unit,
            )
            self.fields[f"date_{sm.pk}"] = forms.DateField(
                label=_("Date measured for %(name)s") % {"name": sm.metric.name},
                required=False,
                widget=_date_input(),
            )

    def rows(self):
        return [ReadingRow(sm, self[f"value_{sm.pk}"], self[f"date_{sm.pk}"]) for sm in self.solution_metrics]

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for sm in self.solution_metrics:
            value_key, date_key = f"value_{sm.pk}", f"date_{sm.pk}"
            if value_key in self.errors or date_key in self.errors:
                continue
            value, measured_on = cleaned.get(value_key), cleaned.get(date_key)
            if value is not None and measured_on is None:
                self.add_error(date_key, _("Enter the date this value was measured."))
            elif value is None and measured_on is not None:
                self.add_error(value_key, _("Enter the value measured on this date, or clear the date."))
            elif measured_on is not None and measured_on > today:
                self.add_error(date_key, _("The date cannot be in the future."))
        return cleaned

    def readings(self) -> dict[int, ReadingInput]:
        return {
            sm.pk: ReadingInput(
                value=self.cleaned_data[f"value_{sm.pk}"], measured_on=self.cleaned_data[f"date_{sm.pk}"]
            )
            for sm in self.solution_metrics
            if self.cleaned_data.get(f"value_{sm.pk}") is not None
        }


class ImageRow:
    def __init__(self, number, image, alt_text):
        self.number, self.image, self.alt_text = number, image, alt_text


class UpdateImagesForm(forms.Form):
    """Up to MAX_IMAGES pictures, each with a required description; on edit, existing ones can be removed."""

    def __init__(self, *args, existing: list[UpdateImage] = (), **kwargs):
        kwargs.setdefault("prefix", "images")
        super().__init__(*args, **kwargs)
        self.existing = list(existing)
        for image in self.existing:
            self.fields[f"remove_{image.pk}"] = forms.BooleanField(label=_("Remove this image"), required=False)
        self.free_slots = max(0, MAX_IMAGES - len(self.existing))
        for n in range(1, self.free_slots + 1):
            self.fields[f"image_{n}"] = forms.FileField(
                # Translators: %(number)s numbers the picture fields: 1, 2, 3, 4.
                label=_("Image %(number)s") % {"number": n},
                required=False,
                help_text=_("A JPEG, PNG or WebP picture, at most 5 MB."),
                widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            )
            self.fields[f"alt_{n}"] = forms.CharField(
                label=_("Description of image %(number)s") % {"number": n},
                required=False,
                max_length=200,
                help_text=_("What the picture shows, for people who cannot see it."),
            )

    def existing_rows(self):
        return [(image, self[f"remove_{image.pk}"]) for image in self.existing]

    def new_rows(self):
        return [ImageRow(n, self[f"image_{n}"], self[f"alt_{n}"]) for n in range(1, self.free_slots + 1)]

    def clean(self):
        cleaned = super().clean()
        for n in range(1, self.free_slots + 1):
            upload = cleaned.get(f"image_{n}")
            if not upload:
                continue
            try:
                cleaned[f"image_{n}"] = process_image(upload, max_side=1600)
            except ValidationError as error:
                self.add_error(f"image_{n}", error)
                continue
            if not (cleaned.get(f"alt_{n}") or "").strip():
                self.add_error(f"alt_{n}", _("Describe what the picture shows, for people who cannot see it."))
        return cleaned

    def new_images(self) -> list[NewImage]:
        return [
            NewImage(file=self.cleaned_data[f"image_{n}"], alt_text=self.cleaned_data[f"alt_{n}"].strip())
            for n in range(1, self.free_slots + 1)
            if self.cleaned_data.get(f"image_{n}")
        ]

    def remove_image_ids(self) -> list[int]:
        return [image.pk for image in self.existing if self.cleaned_data.get(f"remove_{image.pk}")]
