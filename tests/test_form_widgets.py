"""Our copies of Django's multiple_input.html and select.html (templates/django/forms/widgets/) write the
option templates in place for speed; they must produce the same markup as Django's own."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from groups.filters import GroupFilter
from localism.forms import LocalismFormRenderer


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
