"""Database helpers shared by the apps: PostgreSQL-only migration operations, the stored full-text
search column they add, text fields with enforced limits, and follow-ups gathered until commit."""

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.migrations.operations.base import Operation
from django.db.models import Expression
from django.db.models.expressions import Col
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

SEARCH_DOCUMENT = "search_document"


class AddIndexOnPostgres(Operation):
    """Add an index on PostgreSQL only (e.g. a GIN full-text index); a no-op on SQLite.

    The index is not part of the model state, so `makemigrations` never tries to drop it; the
    query that uses it must build exactly the same expression (see each app's filters.py).
    """

    reversible = True

    def __init__(self, model_name, index):
        self.model_name = model_name
        self.index = index

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(to_state.apps.get_model(app_label, self.model_name), self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(from_state.apps.get_model(app_label, self.model_name), self.index)

    def describe(self):
        return f"Create index {self.index.name} on {self.model_name} (PostgreSQL only)"

    def deconstruct(self):
        return self.__class__.__qualname__, [], {"model_name": self.model_name, "index": self.index}


def search_vector_sql(columns, config="english"):
    """The tsvector of `columns` joined by spaces, as SQL (what Django's SearchVector builds)."""
    joined = " || ' ' || ".join(f"COALESCE(\"{column}\", '')" for column in columns)
    return f"to_tsvector('{config}'::regconfig, {joined})"


def bilingual_search_sql(columns, welsh_columns=()):
    """The search document of a table whose text may be English or Welsh, as SQL.

    PostgreSQL has no Welsh stemmer, and its English one stems Welsh words wrongly and drops those that
    are English stop words. So the document is two vectors in one: the `english` configuration of the
    text (stems, so "homes" finds "home") and the `simple` configuration of it and of the Welsh-only
    columns (lower-cased words as written, no stop words), which is how Welsh words are found. A query
    is parsed both ways and matches either (`bilingual_query`)."""
    return f"({search_vector_sql(columns, 'english')} || {search_vector_sql([*columns, *welsh_columns], 'simple')})"


class ChangeSearchDocumentOnPostgres(Operation):
    """On PostgreSQL, rebuild the stored `search_document` of a table (see AddSearchDocumentOnPostgres)
    as `bilingual_search_sql(columns, welsh_columns)`; reversed, the English-only document of `columns`.
    A no-op on SQLite."""

    reversible = True

    def __init__(self, model_name, columns, welsh_columns, index_name):
        self.model_name = model_name
        self.columns = columns
        self.welsh_columns = welsh_columns
        self.index_name = index_name

    def state_forwards(self, app_label, state):
        pass

    def _rebuild(self, app_label, schema_editor, state, expression):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(state.apps.get_model(app_label, self.model_name)._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {SEARCH_DOCUMENT}")  # and its index
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN {SEARCH_DOCUMENT} tsvector GENERATED ALWAYS AS ({expression}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {schema_editor.quote_name(self.index_name)} ON {table} USING gin ({SEARCH_DOCUMENT})"
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._rebuild(app_label, schema_editor, to_state, bilingual_search_sql(self.columns, self.welsh_columns))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._rebuild(app_label, schema_editor, to_state, search_vector_sql(self.columns))

    def describe(self):
        return f"Search {self.model_name} in English and Welsh (PostgreSQL only)"

    def deconstruct(self):
        kwargs = {
            "model_name": self.model_name,
            "columns": self.columns,
            "welsh_columns": self.welsh_columns,
            "index_name": self.index_name,
        }
        return self.__class__.__qualname__, [], kwargs


class AddSearchDocumentOnPostgres(Operation):
    """On PostgreSQL, add the column `search_document`: the tsvector of `columns`, generated and stored by
    the database on every insert and update, with a GIN index `index_name`. A no-op on SQLite.

    Searching and ranking then read the stored vector instead of recomputing `to_tsvector` for every
    match (`SearchDocument` below). The column is not part of the model state: Django never writes it.
    `replaces` names an older GIN index on the same expression, dropped here and rebuilt on reversal.
    """

    reversible = True

    def __init__(self, model_name, columns, index_name, replaces=None):
        self.model_name = model_name
        self.columns = columns
        self.index_name = index_name
        self.replaces = replaces

    def state_forwards(self, app_label, state):
        pass

    def _table(self, app_label, state):
        return state.apps.get_model(app_label, self.model_name)._meta.db_table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(self._table(app_label, to_state))
        if self.replaces:
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.replaces)}")
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN {SEARCH_DOCUMENT} tsvector "
            f"GENERATED ALWAYS AS ({search_vector_sql(self.columns)}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {schema_editor.quote_name(self.index_name)} ON {table} USING gin ({SEARCH_DOCUMENT})"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(self._table(app_label, from_state))
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {SEARCH_DOCUMENT}")  # drops its index too
        if self.replaces:
            schema_editor.execute(
                f"CREATE INDEX {schema_editor.quote_name(self.replaces)} ON {table} "
                f"USING gin (({search_vector_sql(self.columns)}))"
            )

    def describe(self):
        return f"Add stored search column {SEARCH_DOCUMENT} to {self.model_name} (PostgreSQL only)"

    def deconstruct(self):
        kwargs = {"model_name": self.model_name, "columns": self.columns, "index_name": self.index_name}
        if self.replaces:
            kwargs["replaces"] = self.replaces
        return self.__class__.__qualname__, [], kwargs


class SearchDocument(Expression):
    """The stored `search_document` column of the queried model's table (PostgreSQL only; see
    AddSearchDocumentOnPostgres). Use it where a SearchVector would go: filter with `@@`, rank with it."""

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        field = SearchVectorField()
        field.set_attributes_from_name(SEARCH_DOCUMENT)
        field.model = query.model
        return Col(query.get_initial_alias(), field)


class LimitedTextField(models.TextField):
    """A TextField with a maximum length that the form, the model and the database all enforce.

    Forms get a `max_length` (a clear "at most N characters" message, the text kept) and the model a
    MaxLengthValidator, as for a CharField. The field also adds a CHECK constraint on its length in
    characters to its model's Meta.constraints (named `<table>_<column>_max_length`; migrations create
    it like any declared constraint), so nothing written around the forms (a script, the admin, a
    bulk load) stores more. Bounded text keeps every full-text search column far below PostgreSQL's
    tsvector limit (1 MB).
    """

    def __init__(self, *args, max_length, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        if cls._meta.abstract:
            return
        constraint_name = f"{cls._meta.db_table}_{self.column}_max_length"[:63]
        if all(constraint.name != constraint_name for constraint in cls._meta.constraints):
            check = LessThanOrEqual(Length(self.name), self.max_length)
            cls._meta.constraints = [
                *cls._meta.constraints,
                models.CheckConstraint(condition=check, name=constraint_name),
            ]
            # As if declared in Meta, so that migrations see it (ModelState reads original_attrs).
            cls._meta.original_attrs["constraints"] = cls._meta.constraints


def collect_until_commit(key, values, callback, using=None):
    """Gather `values` under `key` until the current transaction commits, then call `callback(set)` once.

    Many rows changed in one transaction (a cascade deleting a solution's updates, say) then cause one
    follow-up, not one per row. Values gathered in a transaction that rolls back are dropped with it: the
    callback Django would have run is discarded, and the next call starts a new collection. Outside a
    transaction the callback runs at once.
    """
    db = transaction.get_connection(using)
    pending = getattr(db, "_collected_until_commit", None)
    if pending is None:
        pending = db._collected_until_commit = {}
    entry = pending.get(key)
    if entry is None or not any(func is entry[1] for _, func, _ in db.run_on_commit):
        collected = set()

        def flush():
            if pending.get(key, (None, None))[1] is flush:
                del pending[key]
            callback(collected)

        entry = pending[key] = (collected, flush)
        collected.update(values)
        transaction.on_commit(flush, using=using)
        return
    entry[0].update(values)


class RowJSON(models.Func):
    """JSON read with each row by a correlated subquery written out in `as_sql` (subclasses), on the row's
    primary key (`%(expressions)s`): instead of a prefetch (a query of its own, about 1.5 ms of a page with its
    round trip) or Django's `Subquery` of an aggregate (0.6 ms a page to build and compile). Decoded to Python."""

    output_field = models.JSONField()

    def __init__(self):
        super().__init__(models.F("pk"))

    def get_group_by_cols(self):
        # Grouped by the row, as Django's Subquery is, not by the whole subquery.
        return self.source_expressions[0].get_group_by_cols()

    @staticmethod
    def column(connection, meta, name):
        """The quoted column of the field `name` of a model (`meta`: its `_meta`), for the SQL subclasses write."""
        return connection.ops.quote_name(meta.get_field(name).column)

    @staticmethod
    def json_array(connection, values, source, order):
        """The template of a subquery giving, as a JSON array, `values` of the rows of `source` ("FROM …
        WHERE … = %(expressions)s") in `order`: `values` is one SQL expression, or a dict of keys to SQL
        expressions for an array of objects. Subclasses give only names from the models and constants:
        nothing from outside."""
        single = isinstance(values, str)
        columns = {"value": values} if single else values
        if connection.vendor == "postgresql":
            pairs = ", ".join(f"'{key}', {sql}" for key, sql in columns.items())
            item = values if single else f"json_build_object({pairs})"
            # As text: psycopg2 would decode a json value itself, and JSONField would then decode it again (a
            # TypeError on every page).
            return f"(SELECT COALESCE(json_agg({item} ORDER BY {order}), '[]')::text {source})"  # noqa: S608
        # SQLite keeps the derived table's order in the aggregate (json_group_array(… ORDER BY …) needs 3.44).
        selected = ", ".join(f"{sql} AS {key}" for key, sql in columns.items())
        pairs = ", ".join(f"'{key}', {key}" for key in columns)
        item = "value" if single else f"json_object({pairs})"
        return f"(SELECT json_group_array({item}) FROM (SELECT {selected} {source} ORDER BY {order}))"  # noqa: S608


class LinkedValues(RowJSON):
    """One field of the objects a row's many-to-many field links it to, as a list in that field's order
    ([] if none): `Group.objects.annotate(area_ids=LinkedValues(Group.challenge_areas, "id"))`."""

    def __init__(self, descriptor, field_name):
        if descriptor.reverse:
            raise ValueError("LinkedValues reads a many-to-many field of the row's own model.")
        self.relation = descriptor.field
        self.field_name = field_name
        super().__init__()

    def as_sql(self, compiler, connection, **extra_context):
        field, quote = self.relation, connection.ops.quote_name
        target = field.related_model._meta
        links = f"{quote(field.remote_field.through._meta.db_table)} links"
        if target.get_field(self.field_name) == target.pk:  # the ids are in the links themselves
            value, source = f"links.{quote(field.m2m_reverse_name())}", links
        else:
            value = f"linked.{quote(target.get_field(self.field_name).column)}"
            source = (
                f"{quote(target.db_table)} linked JOIN {links}"
                f" ON links.{quote(field.m2m_reverse_name())} = linked.{quote(target.pk.column)}"
            )
        source = f"FROM {source} WHERE links.{quote(field.m2m_column_name())} = %(expressions)s"  # noqa: S608
        template = self.json_array(connection, value, source, order=value)
        return super().as_sql(compiler, connection, template=template, **extra_context)
