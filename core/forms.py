from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _


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


# Field markup of forms that say it depends only on what the field is and holds (`reuse_field_markup`: the
# filter forms of lists), kept per process: a list's filter form is drawn on nearly every list page, with
# a different mix of filters each time, but each field on its own takes few values.
_REUSED_MARKUP = {}
REUSED_MARKUP_LIMIT = 4096


def _reuse_key(field):
    """What a field's markup depends on, or None if it cannot be known without drawing it."""
    form_field = field.field
    if field.errors or field.saved_now is not None or not getattr(field.form, "reuse_field_markup", False):
        return None
    if isinstance(form_field, forms.ModelChoiceField):
        if not hasattr(form_field, "listed"):  # choices that would cost a query each time they are read
            return None
    elif not isinstance(form_field, forms.ChoiceField):
        # Text and numbers: cheap to draw, and their values are whatever anyone types (they would crowd out
        # the rest).
        return None
    choices = tuple((str(value), str(label)) for value, label in form_field.choices)
    widget = form_field.widget
    form_class = type(field.form)
    return (
        get_language(),
        f"{form_class.__module__}.{form_class.__qualname__}",
        field.html_name,
        field.auto_id,
        str(field.label),
        str(field.help_text),
        type(widget).__name__,
        repr(sorted(widget.attrs.items())),
        form_field.required,
        form_field.disabled,
        repr(field.value()),
        choices,
    )


def _field_group(field, renderer):
    """templates/forms/field.html, in Python: the same markup, character for character (tests/test_form_widgets.py
    compares them). A list's filter form spent about half its rendering time in that template's lookups."""
    key = _reuse_key(field)
    if key is None:
        return _draw_field_group(field, renderer)
    markup = _REUSED_MARKUP.get(key)
    if markup is None:
        if len(_REUSED_MARKUP) >= REUSED_MARKUP_LIMIT:
            _REUSED_MARKUP.clear()
        markup = _REUSED_MARKUP[key] = _draw_field_group(field, renderer)
    return markup


def _draw_field_group(field, renderer):
    auto_id = conditional_escape(field.auto_id)
    errors = field.errors
    error_block = ""
    if errors:
        error_label = _("Error:")
        error_block = format_html(
            '<div class="error-message" id="{}_error">{}</div>',
            auto_id,
            format_html_join(
                "", '<p><span class="visually-hidden">{}</span> {}</p>', ((error_label, e) for e in errors)
            ),
        )
    saved = field.saved_now is not None
    # Included as the template includes it: not stripped.
    saved_block = renderer.get_template("forms/saved_now.html").render({"field": field}) if saved else ""
    help_block = (
        format_html('<div class="hint" id="{}_helptext">{}</div>', auto_id, field.help_text) if field.help_text else ""
    )
    states = (" field-error" if errors else "") + (" field-saved-differs" if saved else "")
    label = field.label
    if field.widget_type == "checkbox":
        parts = [
            f'<div class="field field-checkbox{states}">\n',
            error_block,
            "\n",
            saved_block,
            "\n",
            format_html(
                '<div class="checkbox">{} <label for="{}">{}</label></div>\n', field, field.id_for_label, label
            ),
            help_block,
            "\n</div>",
        ]
    else:
        parts = [f'<div class="field{states}">\n']
        if field.use_fieldset:
            described_by = field.aria_describedby
            parts.append(
                format_html('<fieldset aria-describedby="{}">', described_by) if described_by else "<fieldset>"
            )
            parts.append(format_html("\n  <legend>{}</legend>", label) if label else "\n  ")
        else:
            parts.append(format_html('\n  <label for="{}">{}</label>', field.id_for_label, label) if label else "\n  ")
        parts += [
            "\n\n",
            help_block,
            "\n",
            error_block,
            "\n",
            saved_block,
            "\n",
            conditional_escape(field),
            "\n</fieldset>\n</div>" if field.use_fieldset else "\n\n</div>",
        ]
    # As Django's renderers, which strip what a template renders.
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped or built by format_html


class LocalismBoundField(BoundField):
    """A field as our templates draw it.

    A text box or text area does not carry `maxlength`: with it, a browser cuts pasted text at the limit
    without a word, and the person may not notice what was lost. The form refuses text over the limit
    with a message and keeps all of it; the limit is said in the field's hint ("Up to 120 characters.")
    instead. Search boxes keep `maxlength`: a query is not something written to be kept.

    `saved_now` is set by `edit_conflict` on a field whose saved value differs from what was typed: the
    saved value as people read it, shown at the field (forms/saved_now.html).
    """

    saved_now = None

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        limit = self.character_limit
        if limit:
            # Translators: the hint under a text box; %(limit)s is a number such as 5,000.
            hint = ngettext("Up to %(limit)s character.", "Up to %(limit)s characters.", limit) % {
                "limit": number_format(limit, force_grouping=True)
            }
            self.help_text = format_html("{} {}", self.help_text, hint) if self.help_text else hint

    @property
    def character_limit(self) -> int | None:
        """The most characters the field takes, where a hint should say so (text boxes and areas)."""
        widget = self.field.widget
        if not isinstance(self.field, forms.CharField) or not self.field.max_length or widget.is_hidden:
            return None
        if isinstance(widget, forms.Textarea) or getattr(widget, "input_type", None) in ("text", "url"):
            return self.field.max_length
        return None

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if "maxlength" in widget.attrs and getattr(widget, "input_type", None) != "search":
            attrs["maxlength"] = False  # a False attribute is left out of the markup
        return attrs

    @property
    def aria_describedby(self):
        described_by = super().aria_describedby
        if described_by is not None and self.saved_now is not None and self.auto_id:
            described_by = f"{self.auto_id}_saved {described_by}".strip()
        return described_by


class LocalismFormRenderer(TemplatesSetting):
    """Renders every form with our templates: a label per field, errors tied to it. Select boxes and lists of
    checkboxes or radio buttons are written in Python with the markup of Django's own templates."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = LocalismBoundField

    def render(self, template_name, context, request=None):
        fast = FAST_WIDGETS.get(template_name)
        if fast is not None and "widget" in context:
            return fast(context["widget"])
        if template_name == self.field_template_name and isinstance(context.get("field"), BoundField):
            return _field_group(context["field"], self)
        return super().render(template_name, context, request=request)


def add_service_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names if the form has it, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@dataclass(frozen=True)
class SavedDifference:
    """A field whose saved value is not what the person typed: `anchor` is the id of its note on the page."""

    label: str
    anchor: str
    saved: str


@dataclass(frozen=True)
class EditConflict:
    """An edit refused because someone saved in between, for templates/includes/edit_conflict.html."""

    message: str
    differences: list[SavedDifference]


def edit_conflict(message: str, *forms_) -> EditConflict:
    """Compare what was typed into each form (its data) with what is saved now (its `initial`), field by
    field, and mark each field that differs with the saved value (`saved_now`, shown at the field).

    Only fields with a saved value in `initial` are compared: hidden fields (the version), uploads (a
    file is never kept between pages) and rows that add something new are not. Text is compared as
    the form reads it, ignoring how line ends were sent and spaces around it.
    """
    differences = []
    for form in forms_:
        for bound in form.visible_fields():
            field = bound.field
            if bound.name not in form.initial or isinstance(field, forms.FileField):
                continue
            saved = form.initial[bound.name]
            if not field.has_changed(_same_line_ends(saved), _same_line_ends(bound.data)):
                continue
            bound.saved_now = _as_read(field, saved)
            anchor = f"{bound.auto_id}_saved"
            differences.append(SavedDifference(label=str(bound.label), anchor=anchor, saved=bound.saved_now))
    return EditConflict(message=message, differences=differences)


def _same_line_ends(value):
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _flat_choices(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        elif key not in ("", None):
            yield key, label


def _as_read(field, value) -> str:
    """A saved value as people read it: choices by their label, a tick box as ticked or not."""
    if isinstance(field, forms.BooleanField):
        # Translators: the saved value of a tick box, shown beside what someone typed after an edit conflict.
        return _("Ticked") if value else _("Not ticked")
    value = field.prepare_value(value)
    if hasattr(field, "choices"):
        chosen = {str(item) for item in value} if isinstance(value, list | tuple) else {str(value)}
        labels = [str(label) for key, label in _flat_choices(field.choices) if str(key) in chosen]
        # Translators: a saved choice field with nothing chosen, shown after an edit conflict.
        return ", ".join(labels) or _("(none)")
    text = "" if value is None else str(value)
    # Translators: a saved text field with no text, shown after an edit conflict.
    return text or _("(empty)")


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
