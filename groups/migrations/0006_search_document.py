# PostgreSQL only: a stored, generated tsvector column for group search, replacing the expression index
# of 0003 (searches read it through core.db.SearchDocument; see groups/filters.py).
from django.db import migrations

from core.db import AddSearchDocumentOnPostgres


class Migration(migrations.Migration):
    dependencies = [("groups", "0005_hideable")]

    operations = [
        AddSearchDocumentOnPostgres(
            "group",
            columns=["name", "summary", "place_name", "postcode_district"],
            index_name="group_search",
            replaces="group_search",
        ),
    ]
