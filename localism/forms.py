from django.forms.renderers import TemplatesSetting


class LocalismFormRenderer(TemplatesSetting):
    """Renders every form with our templates: a label per field, errors tied to it."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
