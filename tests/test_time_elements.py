"""<time datetime> values are valid HTML: no fractions of a second (Django's 'c' format wrote six digits)."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# A valid global date and time string with seconds and a time-zone offset (HTML Living Standard).
VALID = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:?\d{2})")


def test_no_template_writes_fractions_of_a_second_into_a_time_element():
    offenders = [str(path) for path in TEMPLATES.rglob("*.html") if "|date:'c'" in path.read_text()]
    assert not offenders


@pytest.mark.parametrize("path", sorted(p for p in TEMPLATES.rglob("*.html") if "datetime=" in p.read_text()))
def test_the_datetime_format_used_renders_a_valid_value(path):
    text = path.read_text()
    formats = set(re.findall(r"datetime=\"\{\{ [\w.]+\|date:'([^']+)' \}\}\"", text))
    # Inside a translated sentence the value is bound first: {% with iso=x|date:'...' %} ... datetime="{{ iso }}"
    for name, fmt in re.findall(r"(\w+)=[\w.]+\|date:'([^']+)'", text):
        if f'datetime="{{{{ {name} }}}}"' in text:
            formats.add(fmt)
    assert formats, f"{path.name}: no datetime value found"
    moment = timezone.now().replace(microsecond=123456)
    for fmt in formats:
        rendered = Template("{{ moment|date:'" + fmt + "' }}").render(Context({"moment": moment}))
        assert VALID.fullmatch(rendered), (path.name, fmt, rendered)
