"""PostgreSQL's plan of a queryset, for the tests that an index serves a query."""

from django.db import connection


def query_plan(queryset, *, turn_off=("seqscan",)):
    """EXPLAIN of `queryset`, with the planner's `enable_<name>` settings named in `turn_off` off for the
    test's transaction: as if the tables were large, so a plan that can read an index shows it (and a plan
    that cannot avoid a sort still shows the sort)."""
    with connection.cursor() as cursor:
        for name in turn_off:
            cursor.execute(f"SET LOCAL enable_{name} = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
