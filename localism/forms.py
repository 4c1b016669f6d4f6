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
