# Full-text search indexes, PostgreSQL only. The expressions must stay identical to
# SOLUTION_SEARCH_VECTOR (challenges/filters.py) and LESSON_SEARCH_VECTOR (learning/filters.py);
# tests/browse/test_search_indexes.py checks on PostgreSQL that searches use them.
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

from core.db import AddIndexOnPostgres


class Migration(migrations.Migration):
    dependencies = [("challenges", "0001_initial")]

    operations = [
        AddIndexOnPostgres(
            "solution",
            GinIndex(
                SearchVector("title", "problem", "approach", "why_here", config="english"), name="solution_search"
            ),
        ),
        AddIndexOnPostgres(
            "update",
            GinIndex(
                SearchVector("title", "what_worked", "what_didnt", "do_differently", config="english"),
                name="lesson_search",
            ),
        ),
    ]
