from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class LocalismFormRenderer(TemplatesSetting):
    """Renders every form with our templates: a label per field, errors tied to it."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def add_service_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names if the form has it, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing ids no database column can hold with the usual "not a valid choice" error.

    Django lets `pk__in=[2**70]` reach the database, where SQLite raises OverflowError (a 500); the
    exact lookup used by ModelChoiceField already treats such ids as matching nothing.
    """

    def _check_values(self, value):
        for item in value:
            try:
                number = int(str(item).strip())
            except ValueError:
                continue  # Django's own check says it is not a valid id
            if not -(2**63) <= number < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return super()._check_values(value)
