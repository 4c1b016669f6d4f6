from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def _attrs(attrs):
    """Django's django/forms/widgets/attrs.html, in Python."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _select(widget):
    """Django's select.html (with select_option.html), in Python: the same markup."""
    parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>', option["value"], _attrs(option["attrs"]), option["label"]
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every part is built by format_html


def _multiple_input(widget):
    """Django's multiple_input.html (with input_option.html and input.html), in Python: the same markup
    for checkbox and radio lists."""
    attrs = widget["attrs"]
    parts = [
        format_html(
            "<div{}{}>",
            format_html(' id="{}"', attrs["id"]) if attrs.get("id") else "",
            format_html(' class="{}"', attrs["class"]) if attrs.get("class") else "",
        )
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(format_html("\n  <div><label>{}</label>", group))
        for option in options:
            wrap = option["wrap_label"]
            option_id = option["attrs"].get("id")
            label_for = format_html(' for="{}"', option_id) if option_id else ""
            parts.append(
                format_html(
                    '<div>\n    {}<input type="{}" name="{}"{}{}>{}</div>',
                    format_html("<label{}>", label_for) if wrap else "",
                    option["type"],
                    option["name"],
                    format_html(' value="{}"', option["value"]) if option["value"] is not None else "",
                    _attrs(option["attrs"]),
                    format_html(" {}</label>", option["label"]) if wrap else "",
                )
            )
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return mark_safe("".join(parts))  # noqa: S308 - every part is built by format_html


# The widgets with one template include per option: a filter form's dozens of checkboxes and options took
# most of a list page's rendering time. tests/test_form_widgets.py checks the markup equals Django's.
FAST_WIDGETS = {
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/checkbox_select.html": _multiple_input,
    "django/forms/widgets/radio.html": _multiple_input,
}


class LocalismFormRenderer(TemplatesSetting):
    """Renders every form with our templates: a label per field, errors tied to it. Select boxes and lists of
    checkboxes or radio buttons are written in Python with the markup of Django's own templates."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

    def render(self, template_name, context, request=None):
        fast = FAST_WIDGETS.get(template_name)
        if fast is not None and "widget" in context:
            return fast(context["widget"])
        return super().render(template_name, context, request=request)


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
