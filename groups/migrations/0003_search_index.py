# Full-text search index, PostgreSQL only. The expression must stay identical to
# GROUP_SEARCH_VECTOR in groups/filters.py; tests/browse/test_search_indexes.py checks it.
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

from core.db import AddIndexOnPostgres


class Migration(migrations.Migration):
    dependencies = [("groups", "0002_invitation_sent_at")]

    operations = [
        AddIndexOnPostgres(
            "group",
            GinIndex(
                SearchVector("name", "summary", "place_name", "postcode_district", config="english"),
                name="group_search",
            ),
        ),
    ]
