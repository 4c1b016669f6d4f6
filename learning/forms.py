from django import forms

from .connections import MAX_MESSAGE_LENGTH


def _text_errors(what):
    """Clear messages for an empty or too long question or message (the text stays on the form)."""
    return {
        "required": f"Please write your {what}.",
        "max_length": f"Your {what} is %(show_value)d characters long; please keep it to at most %(limit_value)d.",
    }


class AskForm(forms.Form):
    """Ask a peer group a question, on behalf of one of the groups the person runs."""

    from_group = forms.ModelChoiceField(
        label="Ask on behalf of",
        queryset=None,
        empty_label=None,
        error_messages={
            "required": "Choose the group you are asking for.",
            "invalid_choice": "You can only ask on behalf of a group you run: choose one of yours.",
        },
    )
    message = forms.CharField(
        label="Your question",
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Say who you are and what you would like to learn from them. They can accept or decline.",
        error_messages=_text_errors("question"),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_group"].queryset = groups


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_text_errors("message"),
    )
