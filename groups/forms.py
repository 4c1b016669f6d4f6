from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import ModelMultipleChoiceField

from . import gazetteer
from .images import process_image
from .models import ChallengeArea, Group, Role

LOGO_MAX_SIDE = 800
DECILE_RANGE = gettext_lazy("The deprivation decile must be from 1 (most deprived) to 10 (least deprived).")


class GroupForm(forms.ModelForm):
    """A group's description, place and local context. The service does the saving."""

    name = forms.CharField(
        label=gettext_lazy("Group name"),
        max_length=120,
        error_messages={"required": gettext_lazy("Enter the name of your group.")},
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One or two sentences: who you are and what you do."),
        error_messages={"required": gettext_lazy("Enter a short summary of what your group does.")},
    )
    language = forms.ChoiceField(
        label=gettext_lazy("The language you write in"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,  # a form posted without it (an older page) keeps the default
        help_text=gettext_lazy(
            "The language of your group's name, summary, story and posts. Pages mark what you write with it, "
            "so screen readers pronounce it correctly. We never translate what you write."
        ),
    )
    name_cy = forms.CharField(
        label=gettext_lazy("Name in Welsh (optional)"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Shown instead of the name above to people reading the site in Welsh."),
    )
    summary_cy = forms.CharField(
        label=gettext_lazy("Summary in Welsh (optional)"),
        max_length=280,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Shown instead of the summary above to people reading the site in Welsh."),
    )
    place_name = forms.CharField(
        label=gettext_lazy("Place"),
        max_length=100,
        help_text=gettext_lazy("The town, village or neighbourhood where you work, for example Hook Norton."),
        error_messages={"required": gettext_lazy("Enter the town, village or neighbourhood where your group works.")},
    )
    postcode_district = forms.CharField(
        label=gettext_lazy("Postcode district (optional)"),
        max_length=10,
        required=False,
        help_text=gettext_lazy("The first half of your postcode, for example OX7. We use it to put you on the map."),
    )
    population = forms.IntegerField(
        label=gettext_lazy("Population served"),
        min_value=1,
        max_value=10_000_000,
        help_text=gettext_lazy("Roughly how many people live in the area you serve."),
        error_messages={
            "required": gettext_lazy("Enter roughly how many people live in the area you serve."),
            "invalid": gettext_lazy("Enter the population as a whole number, for example 2500."),
            "min_value": gettext_lazy("The population must be at least 1."),
            "max_value": gettext_lazy("The population can be at most 10,000,000."),
        },
    )
    deprivation_decile = forms.IntegerField(
        label=gettext_lazy("Deprivation decile"),
        min_value=1,
        max_value=10,
        help_text=Group._meta.get_field("deprivation_decile").help_text,
        error_messages={
            "required": gettext_lazy("Enter the deprivation decile, from 1 to 10."),
            "invalid": gettext_lazy("Enter the deprivation decile as a whole number from 1 to 10."),
            "min_value": DECILE_RANGE,
            "max_value": DECILE_RANGE,
        },
    )
    challenge_areas = ModelMultipleChoiceField(
        label=gettext_lazy("Challenges you work on"),
        queryset=ChallengeArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    logo = forms.FileField(
        label=gettext_lazy("Logo (optional)"),
        required=False,
        help_text=gettext_lazy(
            "A JPEG, PNG or WebP picture of up to 5 MB. We resize it and remove hidden data such as location."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = Group
        fields = [
            "name",
            "summary",
            "language",
            "name_cy",
            "summary_cy",
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
        # These model fields have no verbose name of their own: their labels are named here to be translated.
        labels = {"description": gettext_lazy("Description"), "region": gettext_lazy("Region")}
        help_texts = {
            "description": gettext_lazy(
                "The longer story: what you do, who takes part, what you have learnt. Markdown works."
            )
        }
        error_messages = {
            "area_kind": {"required": gettext_lazy("Choose the kind of area you work in.")},
            "region": {"required": gettext_lazy("Choose your region or nation.")},
        }

    def clean_language(self):
        return self.cleaned_data["language"] or (self.instance.language if self.instance.pk else settings.LANGUAGE_CODE)

    def clean_postcode_district(self):
        value = self.cleaned_data["postcode_district"].strip()
        if not value:
            return ""
        district = gazetteer.postcode_district(value)
        if district is None:
            raise forms.ValidationError(
                _("Enter a postcode district such as OX7 or SW9 (a full postcode works too), or leave this empty.")
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
        label=gettext_lazy("Email address of the new organiser"),
        max_length=254,
        help_text=gettext_lazy("We email them a link to accept. It works once and expires after 7 days."),
        error_messages={
            "required": gettext_lazy("Enter the email address of the person to invite."),
            "invalid": gettext_lazy("Enter an email address like name@example.org."),
        },
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[(Role.ORGANISER, Role.ORGANISER.label), (Role.MEMBER, Role.MEMBER.label)])
