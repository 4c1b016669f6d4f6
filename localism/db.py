"""Database helpers shared by the apps' migrations."""

from django.db.migrations.operations.base import Operation


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
