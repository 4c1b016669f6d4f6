"""A fresh web process is warmed once at start (localism/warmup.py), without touching the database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups import gazetteer
from localism import warmup


def test_every_project_template_is_found_and_the_base_is_among_them():
    names = list(warmup.our_templates())
    assert "base.html" in names and "groups/group_detail.html" in names
    assert all(not name.startswith("/") for name in names)


@pytest.mark.django_db
def test_warm_up_builds_the_place_index_and_compiles_templates_with_no_query(caplog):
    gazetteer._build_place_index.cache_clear()
    with CaptureQueriesContext(connection) as queries, caplog.at_level("INFO", logger="localism.warmup"):
        warmup.warm_up()
    # A connection opened before gunicorn forks would be shared by every worker.
    assert len(queries) == 0
    assert gazetteer._build_place_index.cache_info().currsize == 1
    assert "warmed up in" in caplog.text


def test_warm_up_reads_each_languages_catalogue_and_indexes_its_addresses():
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils.translation import trans_real

    trans_real._translations.pop("cy", None)
    get_resolver()._reverse_dict.pop("cy", None)
    warmup.warm_up()
    for code, _name in settings.LANGUAGES:
        assert code in trans_real._translations
        assert code in get_resolver()._reverse_dict
