from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from .models import Reason
from .services import MAX_DETAILS_LENGTH, MAX_REASON_LENGTH


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("What is wrong with it?"), choices=Reason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=gettext_lazy("Tell the moderators more (optional unless you chose “something else”)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_DETAILS_LENGTH,
    )


class DecisionForm(forms.Form):
    DECISIONS = [
        ("hide", gettext_lazy("Hide it")),
        ("dismiss", gettext_lazy("Dismiss the reports")),
        ("restore", gettext_lazy("Restore it")),
    ]
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Reason (the owner sees this)"),
        max_length=MAX_REASON_LENGTH,
        required=False,
        widget=forms.TextInput,
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Why should it be shown again?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_DETAILS_LENGTH,
        help_text=gettext_lazy("You can appeal once. A moderator reads every appeal and answers by email."),
    )


class SuspendForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("suspend", pgettext_lazy("verb", "Suspend")), ("unsuspend", gettext_lazy("Lift the suspension"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=MAX_REASON_LENGTH,
        required=False,
    )
