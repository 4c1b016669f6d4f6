"""The error summary, written once (templates/includes/error_summary.html) for every refused form."""

from django import forms
from django.template.loader import render_to_string


class Place(forms.Form):
    name = forms.CharField(label="Name")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Someone saved this page in between.")


class Note(forms.Form):
    note = forms.CharField(label="Note")

    def clean(self):
        raise forms.ValidationError("Notes are closed.")


def test_every_error_is_listed_and_a_visible_field_error_links_to_its_input():
    form = Place({"version": "x"})
    html = render_to_string("includes/error_summary.html", {"form": form, "title": "The group is not saved"})
    assert '<div class="error-summary" role="alert">' in html
    assert "<h2>The group is not saved</h2>" in html
    assert "<li>Someone saved this page in between.</li>" in html
    assert '<a href="#id_name">Name: This field is required.</a>' in html
    # A hidden field has no input to go to: its error is plain text.
    assert "<li>Enter a whole number.</li>" in html


def test_a_second_form_joins_the_same_box_and_plain_drops_labels_and_links():
    html = render_to_string(
        "includes/error_summary.html",
        {"form": Place({}), "also": Note({}), "heading": "h3", "plain": True},
    )
    assert html.count('class="error-summary"') == 1
    assert "<h3>There is a problem</h3>" in html
    assert "<li>Notes are closed.</li>" in html and "<li>Someone saved this page in between.</li>" in html
    assert "<a " not in html


def test_a_form_without_errors_shows_no_box():
    form = Note({"note": "fine"})
    form.clean = lambda: form.cleaned_data
    assert form.is_valid()
    assert render_to_string("includes/error_summary.html", {"form": form}).strip() == ""
