"""Our copies of Django's multiple_input.html and select.html (templates/django/forms/widgets/) write the
option templates in place for speed; they must produce the same markup as Django's own."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting

from core.forms import LocalismFormRenderer
from groups.filters import GroupFilter


class Everything(forms.Form):
    kinds = forms.MultipleChoiceField(
        choices=[("a", "Alpha & <b>"), ("b", "Beta"), ("Group", [("c", "Gamma"), ("d", "Delta")])],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "boxes"}),
    )
    one = forms.ChoiceField(choices=[("x", "Ex"), ("y", "Why")], widget=forms.RadioSelect)
    pick = forms.ChoiceField(
        choices=[("", "Any"), ("Places", [("p", "Place"), ("q", "Quay")]), ("r", "R")],
        widget=forms.Select(attrs={"data-x": "1", "disabled": True}),
    )
    many = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")], widget=forms.SelectMultiple)


def squeeze(html):
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("data", [None, {"kinds": ["a", "d"], "one": "y", "pick": "q", "many": ["2"]}])
def test_widgets_render_as_djangos_own(data):
    ours = Everything(data, renderer=LocalismFormRenderer())
    djangos = Everything(data, renderer=DjangoTemplates())
    for name in Everything.base_fields:
        assert squeeze(str(ours[name])) == squeeze(str(djangos[name])), name
    assert "checked" in str(ours["kinds"]) or data is None


@pytest.mark.django_db
def test_a_filter_form_renders_as_with_djangos_widgets():
    form = GroupFilter({"area_kind": ["rural"], "region": "scotland", "deprivation_max": "4"}).form
    form.renderer = LocalismFormRenderer()
    ours = {name: str(form[name].as_widget()) for name in form.fields}
    form.renderer = DjangoTemplates()
    for name in form.fields:
        assert squeeze(ours[name]) == squeeze(str(form[name].as_widget())), name


class Limited(forms.Form):
    name = forms.CharField(max_length=120)
    story = forms.CharField(max_length=5000, help_text="Markdown works.", widget=forms.Textarea)
    email = forms.EmailField(max_length=254)
    q = forms.CharField(max_length=200, widget=forms.SearchInput)


def test_text_boxes_say_their_limit_instead_of_cutting_text_short():
    """A browser cuts pasted text at `maxlength` without a word; the hint says the limit, the server refuses
    more with a message and keeps the text."""
    html = str(Limited(renderer=LocalismFormRenderer()))
    for name in ("name", "story", "email"):
        tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html).group(0)
        assert "maxlength" not in tag, tag
    assert '<div class="hint" id="id_name_helptext">Up to 120 characters.</div>' in html
    assert '<div class="hint" id="id_story_helptext">Markdown works. Up to 5,000 characters.</div>' in html
    assert re.search(r'<input type="text" name="name"[^>]*aria-describedby="id_name_helptext"', html)
    assert re.search(r'<textarea name="story"[^>]*aria-describedby="id_story_helptext"', html)
    # An email address is not told its limit; a search box keeps maxlength (a query is not kept anyway).
    assert "id_email_helptext" not in html
    assert re.search(r'<input type="search" name="q"[^>]*maxlength="200"', html)


def test_text_past_the_limit_is_refused_with_a_message_and_kept():
    typed = "x" * 300
    form = Limited({"name": typed, "story": "", "email": "a@example.org"}, renderer=LocalismFormRenderer())
    assert not form.is_valid()
    assert form.errors["name"] == ["Ensure this value has at most 120 characters (it has 300)."]
    assert f'value="{typed}"' in str(form["name"])


# --- The field template (templates/forms/field.html), written in Python by the form renderer ------------


def _every_form_class():
    import importlib
    import inspect

    for module_name in (
        "accounts.forms",
        "challenges.forms",
        "challenges.funding.forms",
        "groups.forms",
        "groups.forms_actions",
        "learning.forms",
        "moderation.forms",
    ):
        module = importlib.import_module(module_name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name and cls.base_fields:
                yield cls


def _forms_to_draw():
    """Every form of ours that can be made without arguments, empty and sent empty (errors on every
    required field), plus one with every kind of field and a saved value beside what was typed."""
    for cls in _every_form_class():
        for data in (None, {}):
            try:
                yield cls.__name__, cls(data)
            except TypeError:
                break  # needs arguments (a group, a user…): covered by the kinds of fields below


class Kinds(forms.Form):
    agree = forms.BooleanField(label="I agree <really>", help_text="Tick & go")
    quiet = forms.BooleanField(label="", required=False)
    kinds = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple, help_text="Any")
    one = forms.ChoiceField(choices=[("x", "Ex")], widget=forms.RadioSelect, label="")
    story = forms.CharField(max_length=300, widget=forms.Textarea, label="Your <story>")
    unlabelled = forms.CharField(label="", required=False)


def _template_field(bound):
    return TemplatesSetting().render("forms/field.html", {"field": bound})


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_fields_render_exactly_as_the_field_template(language):
    from django.utils import translation

    drawn = 0
    with translation.override(language):
        cases = list(_forms_to_draw())
        cases += [("Kinds", Kinds()), ("Kinds sent", Kinds({"story": "x" * 400, "one": "nope"}))]
        saved = Kinds({"story": "mine"})
        saved["story"].saved_now = "theirs <b>"
        saved["agree"].saved_now = "yes"
        cases.append(("Kinds saved", saved))
        for name, form in cases:
            form.renderer = LocalismFormRenderer()
            for bound in form:
                fast = form.renderer.render("forms/field.html", {"field": bound})
                assert fast == _template_field(bound), (name, bound.name)
                drawn += 1
    assert drawn > 100
