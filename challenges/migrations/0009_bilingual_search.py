# PostgreSQL only: solutions and lessons are searched in English and Welsh (core.db.bilingual_search_sql).
from django.db import migrations

from core.db import ChangeSearchDocumentOnPostgres


class Migration(migrations.Migration):
    dependencies = [("challenges", "0008_text_limits")]

    operations = [
        ChangeSearchDocumentOnPostgres(
            "solution", columns=["title", "problem", "approach", "why_here"], welsh_columns=[], index_name="solution_search"
        ),
        ChangeSearchDocumentOnPostgres(
            "update",
            columns=["title", "what_worked", "what_didnt", "do_differently"],
            welsh_columns=[],
            index_name="lesson_search",
        ),
    ]
