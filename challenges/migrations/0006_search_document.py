# PostgreSQL only: stored, generated tsvector columns for solution and lesson search, replacing the
# expression indexes of 0002 (searches read them through core.db.SearchDocument).
from django.db import migrations

from core.db import AddSearchDocumentOnPostgres


class Migration(migrations.Migration):
    dependencies = [("challenges", "0005_hideable")]

    operations = [
        AddSearchDocumentOnPostgres(
            "solution",
            columns=["title", "problem", "approach", "why_here"],
            index_name="solution_search",
            replaces="solution_search",
        ),
        AddSearchDocumentOnPostgres(
            "update",
            columns=["title", "what_worked", "what_didnt", "do_differently"],
            index_name="lesson_search",
            replaces="lesson_search",
        ),
    ]
