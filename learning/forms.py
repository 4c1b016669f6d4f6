from django import forms
from django.utils.translation import gettext_lazy

from .connections import MAX_MESSAGE_LENGTH

# Clear messages for an empty or too long question or message (the text stays on the form).
QUESTION_ERRORS = {
    "required": gettext_lazy("Please write your question."),
    "max_length": gettext_lazy(
        # Translators: %(show_value)d is the question's length, %(limit_value)d the most allowed (characters).
        "Your question is %(show_value)d characters long; please keep it to at most %(limit_value)d."
    ),
}
MESSAGE_ERRORS = {
    "required": gettext_lazy("Please write your message."),
    "max_length": gettext_lazy(
        # Translators: %(show_value)d is the message's length, %(limit_value)d the most allowed (characters).
        "Your message is %(show_value)d characters long; please keep it to at most %(limit_value)d."
    ),
}


class AskForm(forms.Form):
    """Ask a peer group a question, on behalf of one of the groups the person runs."""

    from_group = forms.ModelChoiceField(
        label=gettext_lazy("Ask on behalf of"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": gettext_lazy("Choose the group you are asking for."),
            "invalid_choice": gettext_lazy("You can only ask on behalf of a group you run: choose one of yours."),
        },
    )
    message = forms.CharField(
        label=gettext_lazy("Your question"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Say who you are and what you would like to learn from them. They can accept or decline."
        ),
        error_messages=QUESTION_ERRORS,
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_group"].queryset = groups


class MessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your message"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=MESSAGE_ERRORS,
    )
