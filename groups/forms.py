from django import forms
from django.core.files.uploadedfile import UploadedFile

from core.forms import ModelMultipleChoiceField

from . import gazetteer
from .images import process_image
from .models import ChallengeArea, Group, Role

LOGO_MAX_SIDE = 800


class GroupForm(forms.ModelForm):
    """A group's description, place and local context. The service does the saving."""

    name = forms.CharField(
        label="Group name", max_length=120, error_messages={"required": "Enter the name of your group."}
    )
    summary = forms.CharField(
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences: who you are and what you do.",
        error_messages={"required": "Enter a short summary of what your group does."},
    )
    place_name = forms.CharField(
        label="Place",
        max_length=100,
        help_text="The town, village or neighbourhood where you work, for example Hook Norton.",
        error_messages={"required": "Enter the town, village or neighbourhood where your group works."},
    )
    postcode_district = forms.CharField(
        label="Postcode district (optional)",
        max_length=10,
        required=False,
        help_text="The first half of your postcode, for example OX7. We use it to put you on the map.",
    )
    population = forms.IntegerField(
        label="Population served",
        min_value=1,
        max_value=10_000_000,
        help_text="Roughly how many people live in the area you serve.",
        error_messages={
            "required": "Enter roughly how many people live in the area you serve.",
            "invalid": "Enter the population as a whole number, for example 2500.",
            "min_value": "The population must be at least 1.",
            "max_value": "The population can be at most 10,000,000.",
        },
    )
    deprivation_decile = forms.IntegerField(
        label="Deprivation decile",
        min_value=1,
        max_value=10,
        help_text=Group._meta.get_field("deprivation_decile").help_text,
        error_messages={
            "required": "Enter the deprivation decile, from 1 to 10.",
            "invalid": "Enter the deprivation decile as a whole number from 1 to 10.",
            "min_value": "The deprivation decile must be from 1 (most deprived) to 10 (least deprived).",
            "max_value": "The deprivation decile must be from 1 (most deprived) to 10 (least deprived).",
        },
    )
    challenge_areas = ModelMultipleChoiceField(
        label="Challenges you work on",
        queryset=ChallengeArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    logo = forms.FileField(
        label="Logo (optional)",
        required=False,
        help_text="A JPEG, PNG or WebP picture of up to 5 MB. We resize it and remove hidden data such as location.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = Group
        fields = [
            "name",
            "summary",
            "description",
            "place_name",
            "postcode_district",
            "area_kind",
            "population",
            "deprivation_decile",
            "region",
            "challenge_areas",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "description": "The longer story: what you do, who takes part, what you have learnt. Markdown works."
        }
        error_messages = {
            "area_kind": {"required": "Choose the kind of area you work in."},
            "region": {"required": "Choose your region or nation."},
        }

    def clean_postcode_district(self):
        value = self.cleaned_data["postcode_district"].strip()
        if not value:
            return ""
        district = gazetteer.postcode_district(value)
        if district is None:
            raise forms.ValidationError(
                "Enter a postcode district such as OX7 or SW9 (a full postcode works too), or leave this empty."
            )
        return district

    def clean_logo(self):
        """A processed copy of a new upload, False to remove the current logo, None to keep it."""
        value = self.cleaned_data.get("logo")
        if value is False:
            return False
        if isinstance(value, UploadedFile):
            return process_image(value, max_side=LOGO_MAX_SIDE)
        return None


class GroupEditForm(GroupForm):
    # The version the editor started from; the service refuses the save if the group has moved on.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def group_initial(group: Group) -> dict:
    """Form values for editing `group` as saved."""
    initial = {field: getattr(group, field) for field in GroupForm.Meta.fields if field != "challenge_areas"}
    initial["challenge_areas"] = list(group.challenge_areas.all())
    initial["logo"] = group.logo or None
    initial["version"] = group.version
    return initial


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address of the new organiser",
        max_length=254,
        help_text="We email them a link to accept. It works once and expires after 7 days.",
        error_messages={
            "required": "Enter the email address of the person to invite.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[(Role.ORGANISER, "Organiser"), (Role.MEMBER, "Member")])
