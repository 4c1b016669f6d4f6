"""Forms for residents' pages: actions, "near me", following and the home area."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import gazetteer
from .models import Action, ActionStatus, FollowMail
from .nearby import DEFAULT_RADIUS_KM, RADIUS_CHOICES, Point

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def _datetime_field(label, help_text, required_message):
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        error_messages={
            "required": required_message,
            "invalid": gettext_lazy("Enter a date and time like 2026-05-14 18:30."),
        },
    )


class ActionForm(forms.Form):
    """An action as organisers describe it. Times are typed and shown in UK time (Europe/London)."""

    FIELDS = (
        "title",
        "description",
        "starts_at",
        "ends_at",
        "place_name",
        "postcode_district",
        "capacity",
        "accessible",
        "accessibility_notes",
    )

    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=120,
        help_text=gettext_lazy("What people will do, for example “Repair café”."),
        error_messages={"required": gettext_lazy("Enter a title for the action.")},
    )
    description = forms.CharField(
        label=gettext_lazy("Description (optional)"),
        required=False,
        max_length=Action._meta.get_field("description").max_length,
        help_text=gettext_lazy("What will happen, who it is for and what to bring. Markdown works."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    starts_at = _datetime_field(
        gettext_lazy("Starts (UK time)"),
        gettext_lazy("Date and time it starts."),
        gettext_lazy("Enter when the action starts."),
    )
    ends_at = _datetime_field(
        gettext_lazy("Ends (UK time)"),
        gettext_lazy("Date and time it ends."),
        gettext_lazy("Enter when the action ends."),
    )
    place_name = forms.CharField(
        label=gettext_lazy("Place (optional)"),
        max_length=100,
        required=False,
        help_text=gettext_lazy(
            "Where it happens, with the town, for example “Y Plas, Machynlleth”. Leave empty if it is where the group is."
        ),
    )
    postcode_district = forms.CharField(
        label=gettext_lazy("Postcode district (optional)"),
        max_length=10,
        required=False,
        help_text=gettext_lazy("The first half of the postcode, for example SY20."),
    )
    # A text box rather than a number input, so whatever was typed is shown back with the message.
    capacity = forms.IntegerField(
        label=gettext_lazy("Places"),
        min_value=1,
        max_value=100_000,
        help_text=gettext_lazy("How many people can come. When it is full, people join a waiting list."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": gettext_lazy("Enter how many people can come."),
            "invalid": gettext_lazy("Enter the number of places as a whole number, for example 20."),
            "min_value": gettext_lazy("There must be at least 1 place."),
            "max_value": gettext_lazy("There can be at most 100,000 places."),
        },
    )
    accessible = forms.BooleanField(label=gettext_lazy("Step-free and accessible"), required=False)
    accessibility_notes = forms.CharField(
        label=gettext_lazy("Accessibility notes (optional)"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("For example: ramp at the side door, accessible toilet, hearing loop."),
    )

    def clean_postcode_district(self):
        value = self.cleaned_data["postcode_district"].strip()
        if not value:
            return ""
        district = gazetteer.postcode_district(value)
        if district is None:
            raise forms.ValidationError(_("Enter a postcode district such as SY20 or LA9, or leave this empty."))
        return district

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The action must end after it starts."))
        return data


class NewActionForm(ActionForm):
    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("The start must be in the future."))
        return value


class ActionEditForm(ActionForm):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=ActionStatus.choices,
        help_text=gettext_lazy("Cancelling tells everyone signed up by email."),
    )


def action_values(form: ActionForm) -> dict:
    return {name: form.cleaned_data[name] for name in ActionForm.FIELDS}


def action_initial(action: Action) -> dict:
    """Form values for editing `action` as saved, in UK time."""
    initial = {name: getattr(action, name) for name in ActionForm.FIELDS}
    initial["starts_at"] = timezone.localtime(action.starts_at)
    initial["ends_at"] = timezone.localtime(action.ends_at)
    initial["status"] = action.status
    return initial


class NearbyForm(forms.Form):
    """Where to look: a place typed in, or the browser's position (filled in by nearby.js)."""

    place = forms.CharField(
        label=gettext_lazy("Postcode or place"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("A postcode district such as LA9, or a town or village, for example Kendal."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    radius = forms.TypedChoiceField(
        label=gettext_lazy("Within"),
        choices=[(km, f"{km} km") for km in RADIUS_CHOICES],  # translated in __init__
        coerce=int,
        initial=DEFAULT_RADIUS_KM,
        required=False,
        empty_value=DEFAULT_RADIUS_KM,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Translators: a distance in kilometres, a choice of the "Within" list on the "near me" page.
        self.fields["radius"].choices = [(km, _("%(km)s km") % {"km": km}) for km in RADIUS_CHOICES]

    def clean(self):
        data = super().clean()
        latitude, longitude, place = data.get("latitude"), data.get("longitude"), data.get("place", "").strip()
        if self.errors:
            return data
        if latitude is not None and longitude is not None and not place:
            data["point"] = Point(latitude=latitude, longitude=longitude, name=_("your location"))
        elif place:
            found = gazetteer.resolve_place(place)
            if found is None:
                self.add_error(
                    "place",
                    _("We could not find “%(place)s”. Try a postcode district such as LA9, or the nearest town.")
                    % {"place": place},
                )
            else:
                data["point"] = Point(latitude=found.latitude, longitude=found.longitude, name=found.name)
        else:
            self.add_error("place", _("Enter a postcode or a place, or use your location."))
        return data


class HomeAreaForm(forms.Form):
    place = forms.CharField(max_length=80, widget=forms.HiddenInput)

    def clean_place(self):
        place = self.cleaned_data["place"].strip()
        if gazetteer.resolve_place(place) is None:
            raise forms.ValidationError(
                _("We could not find “%(place)s”, so it was not saved as your home area.") % {"place": place}
            )
        return place


class FollowForm(forms.Form):
    # Drawn on every signed-in group page: its one field's markup, which depends only on the choice and the
    # language, is reused (core.forms).
    reuse_field_markup = True

    mail = forms.ChoiceField(
        label=gettext_lazy("Emails about new posts"),
        choices=FollowMail.choices,
        initial=FollowMail.IMMEDIATE,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose how you want to hear from the group."),
            "invalid_choice": gettext_lazy("Choose one of the options."),
        },
    )
