from allauth.account.adapter import get_adapter
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import User


class SignupExtraForm(forms.Form):
    """Extra fields allauth's sign-up form asks for, besides email and password."""

    display_name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=User._meta.get_field("display_name").max_length,
        help_text=User._meta.get_field("display_name").help_text,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    home_area = forms.CharField(
        label=gettext_lazy("Home area (optional)"),
        required=False,
        max_length=User._meta.get_field("home_area").max_length,
        help_text=User._meta.get_field("home_area").help_text,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Someone who came from an invitation signs up with the invited address (they may change it).
        self.invitation = get_adapter().invitation_to_continue()
        if self.invitation and not self.is_bound:
            self.initial.setdefault("email", self.invitation.email)

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please tell us the name other people will see."))
        return name

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.home_area = self.cleaned_data.get("home_area", "").strip()
        user.save(update_fields=["display_name", "home_area"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "home_area"]
        labels = {"display_name": gettext_lazy("Your name"), "home_area": gettext_lazy("Home area (optional)")}


class DeleteAccountForm(forms.Form):
    """Deleting an account cannot be undone, so the person types their email address (or DELETE) to confirm."""

    confirmation = forms.CharField(
        # Translators: DELETE is the word to type; keep it in English, as the form accepts only that word.
        label=gettext_lazy("To confirm, type your email address or the word DELETE"),
        max_length=254,
        error_messages={"required": gettext_lazy("Type your email address or the word DELETE to confirm.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirmation(self):
        typed = self.cleaned_data["confirmation"].strip()
        if typed.casefold() not in {"delete", self.user.email.casefold()}:
            raise forms.ValidationError(
                # Translators: %(email)s is the person's own email address; DELETE stays in English.
                _("That is neither your email address (%(email)s) nor the word DELETE, so nothing was deleted."),
                code="mismatch",
                params={"email": self.user.email},
            )
        return typed
