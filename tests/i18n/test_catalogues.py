"""The Welsh catalogues are kept complete: in step with the code, every string translated, nothing fuzzy.

`make makemessages` brings locale/ up to date with the code; these tests fail until it has been run and
every new or changed string translated. They need gettext (`make messages` installs it).
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import allauth
import django
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = {
    "django": ROOT / "locale/cy/LC_MESSAGES/django.po",
    "djangojs": ROOT / "locale/cy/LC_MESSAGES/djangojs.po",
    "allauth": ROOT / "locale/allauth/cy/LC_MESSAGES/django.po",
    "django-gaps": ROOT / "locale/django/cy/LC_MESSAGES/django.po",
}
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv*", "node_modules", "staticfiles", "media", "db.sqlite3*", "__pycache__", "*.mo", "test-results"
)

# allauth's files whose strings show on our pages (as in the Makefile's allauth-messages).
PAGES = [
    f"-N{pattern}"
    for pattern in [
        "account/*",
        "account/*/*",
        "templates/account/*",
        "templates/account/*/*",
        "templates/allauth/*",
        "templates/allauth/*/*",
        "templates/allauth/*/*/*",
        "core/*",
        "core/*/*",
    ]
]
pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs gettext (make messages installs it)")


def entries(po_text):
    """The (context, msgid, plural, translations) of each entry, without locations or the header."""
    normalised = subprocess.run(
        ["msgcat", "--no-location", "--no-wrap", "--sort-output", "-"],
        input=po_text,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    blocks = [block for block in normalised.split("\n\n") if 'msgid ""\nmsgstr ""' not in block]
    return {block.strip() for block in blocks if block.strip()}


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_catalogue_is_in_step_with_the_code(domain, tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=NOT_COPIED)
    ignore = ["-i", "tests", "-i", "bench", "-i", "static/vendor", "-i", "staticfiles", "-i", "node_modules"]
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-d",
            domain,
            "-l",
            "cy",
            "--no-obsolete",
            "--add-location",
            "file",
            *ignore,
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    relative = CATALOGUES[domain].relative_to(ROOT)
    ours, fresh = entries(CATALOGUES[domain].read_text()), entries((copy / relative).read_text())
    assert not fresh - ours and not ours - fresh, (
        f"{relative} is not in step with the code: run `make makemessages` and translate.\n"
        f"new or changed in the code: {sorted(fresh - ours)[:5]}\nno longer in the code: {sorted(ours - fresh)[:5]}"
    )


@pytest.mark.parametrize("domain", sorted(CATALOGUES))
def test_every_welsh_string_is_translated_and_none_is_fuzzy(domain):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUES[domain])],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), f"{CATALOGUES[domain]}: {statistics}"


def test_every_string_of_allauths_pages_we_use_has_welsh():
    """allauth ships no Welsh: locale/allauth/ holds ours for the installed version (`make allauth-messages`)."""
    english = Path(allauth.__file__).parent / "locale/en/LC_MESSAGES/django.po"
    pages = subprocess.run(
        ["msggrep", *PAGES, str(english)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    needed = {re.sub(r"\nmsgstr.*", "", block, flags=re.S) for block in entries(pages)}
    have = {re.sub(r"\nmsgstr.*", "", block, flags=re.S) for block in entries(CATALOGUES["allauth"].read_text())}
    assert not needed - have, f"run `make allauth-messages` and translate: {sorted(needed - have)[:5]}"


def test_compiled_catalogues_are_built_not_committed():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    committed = subprocess.run(["git", "ls-files", "*.mo"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert committed == ""


def test_what_djangos_own_welsh_leaves_untranslated_has_welsh():
    """Django's Welsh misses some strings our pages show (password rules, some form errors), and some of
    its Welsh is for older wordings: locale/django/ holds ours for every message of the installed
    Django's English catalogue (core and auth) its Welsh does not translate (`make django-messages`)."""
    base = Path(django.__file__).parent
    needed = set()
    for part in ("conf", "contrib/auth"):
        catalogues = base / part / "locale"
        merged = subprocess.run(
            [
                "msgmerge",
                "--quiet",
                "--no-fuzzy-matching",
                "-o",
                "-",
                str(catalogues / "cy/LC_MESSAGES/django.po"),
                str(catalogues / "en/LC_MESSAGES/django.po"),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        missing = subprocess.run(
            ["msgattrib", "--untranslated", "--no-obsolete", "-"],
            input=merged,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        needed |= {re.sub(r"\nmsgstr.*", "", block, flags=re.S) for block in entries(missing)}
    have = {re.sub(r"\nmsgstr.*", "", block, flags=re.S) for block in entries(CATALOGUES["django-gaps"].read_text())}
    assert not needed - have, f"run `make django-messages` and translate: {sorted(needed - have)[:5]}"


def test_the_english_catalogue_gives_each_message_back_unchanged():
    """`make messages` writes it (not committed): English lookups end there, changing no text."""
    from django.utils import translation

    english = ROOT / "locale/en_GB/LC_MESSAGES/django.po"
    if not english.exists():
        pytest.skip("run `make messages` first")
    welsh_ids = {re.sub(r"\nmsgstr.*", "", block, flags=re.S) for block in entries(CATALOGUES["django"].read_text())}
    english_entries = entries(english.read_text())
    assert welsh_ids == {re.sub(r"\nmsgstr.*", "", block, flags=re.S) for block in english_entries}
    singular = [block for block in english_entries if "msgid_plural" not in block and "msgctxt" not in block]
    for block in singular:
        msgid = re.search(r'^msgid "(.*)"$', block, re.M).group(1)
        msgstr = re.search(r'^msgstr "(.*)"$', block, re.M).group(1)
        assert msgstr == msgid
    with translation.override("en-gb"):
        assert translation.gettext("Learn from peers") == "Learn from peers"
