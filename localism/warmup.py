"""What a fresh web process would otherwise do on its first requests, done once when the server starts.

With gunicorn's `preload_app` (gunicorn.conf.py) this runs in the master before it forks, so every worker,
including those started again after `max_requests`, begins warm: the place index is built (about 2 s,
the first "near you" search), our templates are compiled (Django's cached loader keeps them), the URL
patterns are loaded, and for each language its translation catalogue is read and its addresses indexed
(about 15 ms a language, on the first page in it). Nothing here opens a database or Redis connection: a connection made before the fork
would be shared by every worker.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver, reverse
from django.utils import translation

logger = logging.getLogger(__name__)


def our_templates():
    """The names of the project's own templates (templates/), as get_template takes them."""
    for directory in settings.TEMPLATES[0]["DIRS"]:
        root = Path(directory)
        for path in sorted(root.rglob("*")):
            if path.suffix in {".html", ".txt", ".xml"}:
                yield path.relative_to(root).as_posix()


def warm_up():
    from groups import gazetteer

    started = time.perf_counter()
    gazetteer.resolve_place("Kendal")
    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Groups")  # reads the language's catalogues
            reverse("home")  # indexes the URL patterns in this language
    compiled = 0
    for name in our_templates():
        try:
            get_template(name)
            compiled += 1
        except (TemplateDoesNotExist, TemplateSyntaxError) as error:  # a partial that cannot stand alone
            logger.debug("warm-up skipped %s: %s", name, error)
    logger.info("warmed up in %.1f s (%d templates)", time.perf_counter() - started, compiled)
