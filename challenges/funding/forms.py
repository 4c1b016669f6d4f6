"""Forms for challenges, entries and reviews. They parse and check input; `services` writes."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import ModelMultipleChoiceField
from groups.models import AreaKind, ChallengeArea, Region

from ..models import Answer, Challenge, ChallengeStage, EntryStatus, PublishEntries, Score, Solution, Status
from .services import MAX_SCORE, MIN_SCORE, CriterionInput, QuestionInput, ScoreInput

CRITERION_ROWS = 6
QUESTION_ROWS = 5


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChallengeForm(forms.Form):
    """The challenge itself; criteria and questions are in `CriteriaForm` and `QuestionsForm`."""

    funder = forms.ModelChoiceField(queryset=None, label="Funder", empty_label=None)
    title = forms.CharField(max_length=140)
    summary = forms.CharField(max_length=280, help_text="One or two sentences shown in lists of challenges.")
    description = forms.CharField(
        max_length=Challenge._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="The outcome you want and why. Markdown is allowed.",
    )
    challenge_areas = ModelMultipleChoiceField(
        label="Challenge areas", queryset=ChallengeArea.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    eligible_regions = forms.MultipleChoiceField(
        label="Regions that may enter",
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none for the whole UK.",
    )
    eligible_area_kinds = forms.MultipleChoiceField(
        label="Kinds of area that may enter",
        choices=AreaKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none for every kind of area.",
    )
    offer = forms.CharField(
        label="What is offered",
        max_length=Challenge._meta.get_field("offer").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Prize money, grants, expert support, workshops. Markdown is allowed.",
    )
    offer_total = forms.DecimalField(
        label="Total amount offered (£)", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    entry_deadline = forms.DateTimeField(
        label="Entry deadline",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Entries close at this time (UK time). Leave empty to close entries by moving the stage on.",
    )
    shortlist_on = forms.DateField(label="Shortlist announced", required=False, widget=_date_input())
    finalists_on = forms.DateField(label="Finalists announced", required=False, widget=_date_input())
    winners_on = forms.DateField(label="Winners announced", required=False, widget=_date_input())
    publish_entries = forms.ChoiceField(
        label="Entries shown on the challenge page",
        choices=PublishEntries.choices,
        widget=forms.RadioSelect,
        initial=PublishEntries.SHORTLISTED,
    )
    dashboard_public = forms.BooleanField(label="Anyone may see the collective impact dashboard", required=False)

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

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError("Enter a title.", code="required")
        return title

    def clean(self):
        data = super().clean()
        dates = [("shortlist_on", "finalists_on"), ("finalists_on", "winners_on")]
        for earlier, later in dates:
            if data.get(earlier) and data.get(later) and data[earlier] > data[later]:
                self.add_error(later, f"This date must not be before the {self.fields[earlier].label.lower()} date.")
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
        "name": lambda: forms.CharField(label="Criterion", max_length=80, required=False),
        "weight": lambda: forms.IntegerField(
            label="Weight",
            required=False,
            min_value=1,
            max_value=100,
            error_messages={
                "min_value": "Weights are whole numbers from 1 to 100.",
                "max_value": "Weights are whole numbers from 1 to 100.",
            },
        ),
        "description": lambda: forms.CharField(label="What reviewers look for", max_length=280, required=False),
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
                self.add_error(f"{index}-name", "Give this criterion a name, or clear its row.")
            if row["weight"] is None and f"{index}-weight" not in self.errors:
                self.add_error(f"{index}-weight", "Give this criterion a weight from 1 to 100.")
        if not self.errors and not self.filled_rows():
            raise ValidationError("Give at least one criterion to score entries on.", code="no_criteria")
        return data

    def criteria(self) -> list[CriterionInput]:
        return [
            CriterionInput(
                name=" ".join(row["name"].split()), weight=row["weight"], description=row["description"] or ""
            )
            for _, row in self.filled_rows()
        ]


class QuestionsForm(_RowsForm):
    rows = QUESTION_ROWS
    columns = {
        "text": lambda: forms.CharField(label="Question", max_length=280, required=False),
        "help_text": lambda: forms.CharField(label="Hint for entrants", max_length=280, required=False),
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
                self.add_error(f"{index}-text", "Write the question, or clear its row.")
        return data

    def questions(self) -> list[QuestionInput]:
        return [
            QuestionInput(text=row["text"].strip(), help_text=row["help_text"] or "") for _, row in self.filled_rows()
        ]


class StageForm(forms.Form):
    """A stage move as the challenge page posts it: where to, and the stage the page showed (so a move made
    by someone else in between refuses it instead of acting on a page that is out of date)."""

    to_stage = forms.ChoiceField(
        choices=ChallengeStage.choices,
        label="Move to stage",
        error_messages={
            "required": "Choose the stage to move to.",
            "invalid_choice": "“%(value)s” is not a stage.",
        },
    )
    from_stage = forms.ChoiceField(
        choices=ChallengeStage.choices,
        label="Stage shown on the page",
        error_messages={
            "required": "The form did not say which stage the challenge is at: open the challenge page again.",
            "invalid_choice": "“%(value)s” is not a stage.",
        },
    )


class EntryForm(forms.Form):
    """Which solution to enter (when entering) and an answer to each of the challenge's questions."""

    solution = forms.ModelChoiceField(queryset=None, label="Solution to enter", empty_label="Choose a solution")

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
            self.fields["solution"].help_text = "Only published solutions not yet entered in this challenge."
        self.questions = list(challenge.questions.all())
        for question in self.questions:
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                label=question.text,
                help_text=question.help_text,
                max_length=Answer._meta.get_field("text").max_length,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"required": f"Answer the question “{question.text}”."},
            )

    def answers(self) -> dict[int, str]:
        return {question.pk: self.cleaned_data.get(f"answer_{question.pk}", "") for question in self.questions}


SCORE_ERRORS = {
    "min_value": f"Scores are whole numbers from {MIN_SCORE} to {MAX_SCORE}.",
    "max_value": f"Scores are whole numbers from {MIN_SCORE} to {MAX_SCORE}.",
    "invalid": f"Scores are whole numbers from {MIN_SCORE} to {MAX_SCORE}.",
}


class ScoreForm(forms.Form):
    """One score (1–5) and a private note per criterion; criteria left empty are not scored."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} (1–5)",
                required=False,
                min_value=MIN_SCORE,
                max_value=MAX_SCORE,
                error_messages=SCORE_ERRORS,
                help_text=criterion.description,
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=f"Private note on {criterion.name}",
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
            raise ValidationError("Give a score for at least one criterion.", code="no_scores")
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
    status = forms.ChoiceField(choices=EntryStatus.choices, label="Decision")
