"""Our copies of Django's multiple_input.html and select.html (templates/django/forms/widgets/) write the
option templates in place for speed; they must produce the same markup as Django's own."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

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
