"""Forms for challenges, entries and reviews. They parse and check input; `services` writes."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.forms import ModelMultipleChoiceField
from groups.models import AreaKind, ChallengeArea, Region

from ..models import Answer, Award, Challenge, ChallengeStage, EntryStatus, PublishEntries, Score, Solution, Status
from .services import MAX_SCORE, MIN_SCORE, CriterionInput, QuestionInput, ScoreInput

CRITERION_ROWS = 6
QUESTION_ROWS = 5


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChallengeForm(forms.Form):
    """The challenge itself; criteria and questions are in `CriteriaForm` and `QuestionsForm`."""

    funder = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Funder"), empty_label=None)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=140)
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        max_length=280,
        help_text=gettext_lazy("One or two sentences shown in lists of challenges."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=Challenge._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("The outcome you want and why. Markdown is allowed."),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("The language you write in"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,
        help_text=gettext_lazy("The language of the title, summary, description and offer: pages mark them with it."),
    )
    challenge_areas = ModelMultipleChoiceField(
        label=gettext_lazy("Challenge areas"), queryset=ChallengeArea.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    eligible_regions = forms.MultipleChoiceField(
        label=gettext_lazy("Regions that may enter"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Tick none for the whole UK."),
    )
    eligible_area_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Kinds of area that may enter"),
        choices=AreaKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Tick none for every kind of area."),
    )
    offer = forms.CharField(
        label=gettext_lazy("What is offered"),
        max_length=Challenge._meta.get_field("offer").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Prize money, grants, expert support, workshops. Markdown is allowed."),
    )
    offer_total = forms.DecimalField(
        label=gettext_lazy("Total amount offered (£)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    entry_deadline = forms.DateTimeField(
        label=gettext_lazy("Entry deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy(
            "Entries close at this time (UK time). Leave empty to close entries by moving the stage on."
        ),
    )
    shortlist_on = forms.DateField(label=gettext_lazy("Shortlist announced"), required=False, widget=_date_input())
    finalists_on = forms.DateField(label=gettext_lazy("Finalists announced"), required=False, widget=_date_input())
    winners_on = forms.DateField(label=gettext_lazy("Winners announced"), required=False, widget=_date_input())
    publish_entries = forms.ChoiceField(
        label=gettext_lazy("Entries shown on the challenge page"),
        choices=PublishEntries.choices,
        widget=forms.RadioSelect,
        initial=PublishEntries.SHORTLISTED,
    )
    dashboard_public = forms.BooleanField(
        label=gettext_lazy("Anyone may see the collective impact dashboard"), required=False
    )

    def __init__(self, *args, funders=None, **kwargs):
        super().__init__(*args, **kwargs)
        if funders is None:
            del self.fields["funder"]
        else:
            self.fields["funder"].queryset = funders

    @staticmethod
    def initial_for(challenge: Challenge) -> dict:
        initial = {name: getattr(challenge, name) for name in ChallengeForm.base_fields if name != "funder"}
        initial["challenge_areas"] = list(challenge.challenge_areas.all())
        return initial

    def clean_language(self):
        return self.cleaned_data["language"] or settings.LANGUAGE_CODE

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("Enter a title."), code="required")
        return title

    def clean(self):
        data = super().clean()
        dates = {
            "shortlist_on": ("finalists_on", _("This date must not be before the shortlist announced date.")),
            "finalists_on": ("winners_on", _("This date must not be before the finalists announced date.")),
        }
        for earlier, (later, message) in dates.items():
            if data.get(earlier) and data.get(later) and data[earlier] > data[later]:
                self.add_error(later, message)
        return data

    def challenge_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "funder"}


class _RowsForm(forms.Form):
    """A fixed number of optional rows drawn as a table; rows left empty are ignored."""

    rows = 0
    columns: dict = {}

    def __init__(self, *args, rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(rows or self.rows):
            for column, make_field in self.columns.items():
                self.fields[f"{index}-{column}"] = make_field()

    def row_fields(self):
        """[[bound field per column], ...] for the template."""
        count = len(self.fields) // len(self.columns)
        return [[self[f"{index}-{column}"] for column in self.columns] for index in range(count)]

    def filled_rows(self) -> list[dict]:
        count = len(self.fields) // len(self.columns)
        rows = []
        for index in range(count):
            row = {column: self.cleaned_data.get(f"{index}-{column}") for column in self.columns}
            if any(value not in (None, "") for value in row.values()):
                rows.append((index, row))
        return rows


class CriteriaForm(_RowsForm):
    rows = CRITERION_ROWS
    columns = {
        "name": lambda: forms.CharField(label=_("Criterion"), max_length=80, required=False),
        "weight": lambda: forms.IntegerField(
            label=_("Weight"),
            required=False,
            min_value=1,
            max_value=100,
            error_messages={
                "min_value": _("Weights are whole numbers from 1 to 100."),
                "max_value": _("Weights are whole numbers from 1 to 100."),
            },
        ),
        "description": lambda: forms.CharField(label=_("What reviewers look for"), max_length=280, required=False),
    }

    @staticmethod
    def initial_for(challenge) -> dict:
        initial = {}
        for index, criterion in enumerate(challenge.criteria.all()):
            initial.update(
                {
                    f"{index}-name": criterion.name,
                    f"{index}-weight": criterion.weight,
                    f"{index}-description": criterion.description,
                }
            )
        return initial

    def clean(self):
        data = super().clean()
        for index, row in self.filled_rows():
            if not row["name"]:
                self.add_error(f"{index}-name", _("Give this criterion a name, or clear its row."))
            if row["weight"] is None and f"{index}-weight" not in self.errors:
                self.add_error(f"{index}-weight", _("Give this criterion a weight from 1 to 100."))
        if not self.errors and not self.filled_rows():
            raise ValidationError(_("Give at least one criterion to score entries on."), code="no_criteria")
        return data

    def criteria(self) -> list[CriterionInput]:
        return [
            CriterionInput(
                name=" ".join(row["name"].split()), weight=row["weight"], description=row["description"] or ""
            )
            for _index, row in self.filled_rows()
        ]


class QuestionsForm(_RowsForm):
    rows = QUESTION_ROWS
    columns = {
        "text": lambda: forms.CharField(label=_("Question"), max_length=280, required=False),
        "help_text": lambda: forms.CharField(label=_("Hint for entrants"), max_length=280, required=False),
    }

    @staticmethod
    def initial_for(challenge) -> dict:
        initial = {}
        for index, question in enumerate(challenge.questions.all()):
            initial.update({f"{index}-text": question.text, f"{index}-help_text": question.help_text})
        return initial

    def clean(self):
        data = super().clean()
        for index, row in self.filled_rows():
            if not row["text"]:
                self.add_error(f"{index}-text", _("Write the question, or clear its row."))
        return data

    def questions(self) -> list[QuestionInput]:
        return [
            QuestionInput(text=row["text"].strip(), help_text=row["help_text"] or "")
            for _index, row in self.filled_rows()
        ]


class StageForm(forms.Form):
    """A stage move as the challenge page posts it: where to, and the stage the page showed (so a move made
    by someone else in between refuses it instead of acting on a page that is out of date)."""

    to_stage = forms.ChoiceField(
        choices=ChallengeStage.choices,
        label=gettext_lazy("Move to stage"),
        error_messages={
            "required": gettext_lazy("Choose the stage to move to."),
            "invalid_choice": gettext_lazy("“%(value)s” is not a stage."),
        },
    )
    from_stage = forms.ChoiceField(
        choices=ChallengeStage.choices,
        label=gettext_lazy("Stage shown on the page"),
        error_messages={
            "required": gettext_lazy(
                "The form did not say which stage the challenge is at: open the challenge page again."
            ),
            "invalid_choice": gettext_lazy("“%(value)s” is not a stage."),
        },
    )


class EntryForm(forms.Form):
    """Which solution to enter (when entering) and an answer to each of the challenge's questions."""

    solution = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("Solution to enter"), empty_label=gettext_lazy("Choose a solution")
    )

    def __init__(self, *args, challenge, group=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["solution"]
        else:
            self.fields["solution"].queryset = (
                Solution.objects.filter(group=group, status=Status.PUBLISHED, hidden_at__isnull=True)
                .exclude(entries__challenge=challenge)
                .order_by("title")
            )
            self.fields["solution"].help_text = _("Only published solutions not yet entered in this challenge.")
        self.questions = list(challenge.questions.all())
        for question in self.questions:
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                label=question.text,
                help_text=question.help_text,
                max_length=Answer._meta.get_field("text").max_length,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"required": _("Answer the question “%(question)s”.") % {"question": question.text}},
            )

    def answers(self) -> dict[int, str]:
        return {question.pk: self.cleaned_data.get(f"answer_{question.pk}", "") for question in self.questions}


def _score_errors() -> dict:
    # Translators: the lowest and highest score a reviewer may give (1 and 5).
    message = _("Scores are whole numbers from %(min)s to %(max)s.") % {"min": MIN_SCORE, "max": MAX_SCORE}
    return {"min_value": message, "max_value": message, "invalid": message}


class ScoreForm(forms.Form):
    """One score (1–5) and a private note per criterion; criteria left empty are not scored."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                # Translators: a criterion's name and the range of scores, e.g. "Local fit (1–5)".
                label=_("%(criterion)s (%(min)s–%(max)s)")
                % {"criterion": criterion.name, "min": MIN_SCORE, "max": MAX_SCORE},
                required=False,
                min_value=MIN_SCORE,
                max_value=MAX_SCORE,
                error_messages=_score_errors(),
                help_text=criterion.description,
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Private note on %(criterion)s") % {"criterion": criterion.name},
                required=False,
                max_length=Score._meta.get_field("note").max_length,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def initial_for(mine: dict) -> dict:
        initial = {}
        for criterion_id, score in mine.items():
            initial[f"score_{criterion_id}"] = score.value
            initial[f"note_{criterion_id}"] = score.note
        return initial

    def clean(self):
        data = super().clean()
        if not self.errors and not self.scores():
            raise ValidationError(_("Give a score for at least one criterion."), code="no_scores")
        return data

    def criterion_fields(self):
        return [(criterion, self[f"score_{criterion.pk}"], self[f"note_{criterion.pk}"]) for criterion in self.criteria]

    def scores(self) -> dict[int, ScoreInput]:
        scores = {}
        for criterion in self.criteria:
            value = self.cleaned_data.get(f"score_{criterion.pk}")
            if value is not None:
                scores[criterion.pk] = ScoreInput(value=value, note=self.cleaned_data.get(f"note_{criterion.pk}") or "")
        return scores


class EntryStatusForm(forms.Form):
    status = forms.ChoiceField(choices=EntryStatus.choices, label=pgettext_lazy("entry status", "Decision"))


class AwardForm(forms.Form):
    """What the funder awarded an entry: a title, the amount in pounds, the date and an optional description.
    `version` (when editing) is the version of the award the edit started from."""

    title = forms.CharField(
        label=gettext_lazy("What the award is"),
        max_length=Award._meta.get_field("title").max_length,
        help_text=gettext_lazy("A short name, e.g. “Winner's prize” or “Finalist development grant”."),
        error_messages={"required": gettext_lazy("Say what the award is: a short name such as “Winner's prize”.")},
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount awarded (£)"),
        max_digits=12,
        decimal_places=2,
        help_text=gettext_lazy("In pounds, e.g. 20000 or 1500.50."),
        error_messages={
            "invalid": gettext_lazy("Enter the amount as a number, e.g. 20000 or 1500.50."),
            "max_digits": gettext_lazy("Enter an amount of at most 10,000,000."),
            "max_whole_digits": gettext_lazy("Enter an amount of at most 10,000,000."),
            "max_decimal_places": gettext_lazy("Enter the amount in pounds and pence: at most 2 decimal places."),
        },
    )
    awarded_on = forms.DateField(
        label=gettext_lazy("Date awarded"),
        widget=_date_input(),
        help_text=gettext_lazy("The day the decision to award it was made."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=Award._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What it pays for. Published with the award; leave empty to use the solution's title."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = _("This form is out of date. Please reload the page.")
        else:
            del self.fields["version"]

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def award_fields(self) -> dict:
        """Cleaned values as keyword arguments for `record_award` / `edit_award`."""
        return {name: self.cleaned_data[name] for name in ("title", "amount", "awarded_on", "description")}

    @staticmethod
    def initial_for(award: Award) -> dict:
        return {
            "title": award.title,
            "amount": award.amount,
            "awarded_on": award.awarded_on,
            "description": award.description,
            "version": award.version,
        }
