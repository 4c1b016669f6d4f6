"""Markdown from users, rendered and then sanitised: no script, no event handlers, safe links.

What people write on groups, solutions, updates and actions is rendered once, when it is saved, into a
`RenderedMarkdownField` beside it, and pages show that HTML as it is: converting a few hundred characters
takes 0.3-1 ms, and a solution page shows up to a dozen texts. `manage.py render_markdown` renders every
stored text again, for when the rules below change.
"""

import re
import threading
from collections.abc import Callable
from functools import lru_cache

import markdown as md
import nh3
from django.db import connections, models, transaction
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# How a browser reads a link before following it: C0 controls and spaces around it are dropped, and
# tabs and line breaks anywhere in it; a backslash counts as a slash.
_AROUND_A_URL = "".join(chr(code) for code in range(0x21))
_INSIDE_A_URL = str.maketrans("", "", "\t\n\r")
# Something before the first ":" with no "/", "?" or "#" ahead of it reads as a scheme to someone.
_SCHEME_LIKE = re.compile(r"^[^/?#]*:")


def _relative_url_on_this_site(url: str) -> str | None:
    """A relative link as a browser will read it, or None (dropped) when it would leave the site:
    `//host`, `\\\\host` and `/\\host` name another host, and a scheme hidden behind spaces or
    control characters (`java script:`) is no relative link either. Absolute links are checked
    against ALLOWED_URL_SCHEMES before this is called."""
    read = url.strip(_AROUND_A_URL).translate(_INSIDE_A_URL)
    if read[:2].replace("\\", "/") == "//" or _SCHEME_LIKE.match(read):
        return None
    return read


_local = threading.local()


def _converter() -> md.Markdown:
    """One Markdown converter per thread, reset before each text: building one registers every
    processor again, which cost more than converting a short update (a list renders a dozen)."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = md.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    return converter.reset()


@lru_cache(maxsize=2048)
def render_markdown(text: str) -> str:
    """Return safe HTML for user-written Markdown. Raw HTML in the input is escaped or dropped.

    The result depends on the text alone, so each process remembers the last 2,048 texts it rendered:
    a lesson shown on the library, a group's page and its peers' pages is converted once.
    """
    html = _converter().convert(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        url_relative=_relative_url_on_this_site,
        link_rel="nofollow ugc noopener",
    )


class RenderedMarkdownField(models.TextField):
    """The sanitised HTML of the Markdown in another attribute of the same model (`source`, a field or a
    property), rendered by `render_markdown` whenever the row is written: by save() and bulk_create()
    (both call pre_save). Models with such fields inherit `RendersMarkdown`, so that a save() of some
    fields only renders them too.

    Read back from the database as safe HTML: nothing but `render_markdown` writes the column. A write
    that skips pre_save (QuerySet.update() or bulk_update() of the source) would leave it behind the text;
    the code makes none, and `manage.py render_markdown` puts any such row right. The column has a
    database default too, so code of the release before, still serving while the migration runs, can
    insert rows.
    """

    description = "HTML rendered from Markdown"

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        # The database default is written into migrations, so the column gets it wherever it is created.
        for key, implied in (("editable", False), ("blank", True), ("default", "")):
            if key in kwargs and kwargs[key] == implied:
                del kwargs[key]
        return name, path, args, kwargs

    def text_of(self, instance) -> str:
        return getattr(instance, self.source) or ""

    def pre_save(self, model_instance, add):
        if type(model_instance).__module__ == "__fake__" and not hasattr(type(model_instance), self.source):
            # A migration's historical model, which has no properties: what the model's code would render
            # is unknown there, so the stored HTML is kept (`manage.py render_markdown` renders it after).
            return getattr(model_instance, self.attname)
        html = mark_safe(render_markdown(self.text_of(model_instance)))  # noqa: S308 (sanitised)
        setattr(model_instance, self.attname, html)
        return html

    def from_db_value(self, value, expression, connection):
        return value if value is None else mark_safe(value)  # noqa: S308 (only render_markdown writes it)


def rendered_fields(model) -> list[RenderedMarkdownField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, RenderedMarkdownField)]


class RendersMarkdown(models.Model):
    """A model with RenderedMarkdownFields: a save of some fields only also saves the HTML, rendered again,
    whether the caller names them (`update_fields`) or Django chose them (a row read with some fields
    deferred saves only those it read), so the HTML cannot fall behind its text.

    Hooked into save_base, which save() hands the fields it settled on, so Django's own rules decide
    whether a save is partial (an empty list saves nothing; force_insert and another database save all)."""

    class Meta:
        abstract = True

    def save_base(self, *args, update_fields=None, **kwargs):
        if update_fields:
            update_fields = frozenset({*update_fields, *(field.name for field in rendered_fields(type(self)))})
        super().save_base(*args, update_fields=update_fields, **kwargs)


def render_stored(queryset, renderers: dict[str, Callable[[models.Model], str]], *, batch_size=500) -> int:
    """Render the rows of `queryset` again: for each html field name in `renderers`, store
    `render_markdown(text_of(row))`, writing only rows where something changed. Returns how many did.

    Works in batches by primary key, each in a transaction of its own with its rows locked while they
    are rendered (so an edit saved meanwhile waits, rather than being overwritten by the HTML of the text
    before it), and never holds every row locked until the end: the rendering migrations are not atomic.
    Reads whatever `queryset` reads, so a migration can pass its historical model with the fields its
    `renderers` need (historical models have no properties)."""
    changed, last = 0, None
    names = list(renderers)
    using = queryset.select_for_update().db  # the database it writes to (a router may read elsewhere)
    while True:
        with transaction.atomic(using=using):
            page = queryset if last is None else queryset.filter(pk__gt=last)
            rows = list(page.select_for_update().order_by("pk")[:batch_size])
            if not rows:
                return changed
            last = rows[-1].pk
            stale = []
            for row in rows:
                fresh = {name: render_markdown(text_of(row) or "") for name, text_of in renderers.items()}
                if any(getattr(row, name) != html for name, html in fresh.items()):
                    for name, html in fresh.items():
                        setattr(row, name, html)
                    stale.append(row)
            if stale:
                _write(connections[using], queryset.model, stale, names)
                changed += len(stale)


def _write(connection, model, rows, names):
    """One UPDATE per row, sent together (bulk_update's CASE per row and field took longer to build in
    Python than rendering the texts)."""
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name).column for name in names]
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[*(getattr(row, name) for name in names), row.pk] for row in rows])


def render_all_stored(model) -> int:
    """`render_stored` for every RenderedMarkdownField of `model` (a model of the running code)."""
    return render_stored(model.objects.all(), {field.attname: field.text_of for field in rendered_fields(model)})


# A blank line between paragraphs, as Markdown reads it (browsers send line ends as \r\n).
_PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t]*\r?\n")


def without_repeated_lead(text: str, lead: str) -> str:
    """`text` without a first paragraph that repeats `lead` word for word (ignoring case and spacing),
    as when a description opens with the summary already shown above it. Empty if nothing else is left."""
    first, *rest = _PARAGRAPH_BREAK.split(text.strip(), maxsplit=1)
    if _words(first) == _words(lead):
        return rest[0].strip() if rest else ""
    return text


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()
