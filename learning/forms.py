from django import forms

from .connections import MAX_MESSAGE_LENGTH


class AskForm(forms.Form):
    """Ask a peer group a question, on behalf of one of the groups the person runs."""

    from_group = forms.ModelChoiceField(
        label="Ask on behalf of",
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the groups you run."},
    )
    message = forms.CharField(
        label="Your question",
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Say who you are and what you would like to learn from them. They can accept or decline.",
        error_messages={"required": "Please write your question."},
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_group"].queryset = groups


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Please write your message."},
    )
