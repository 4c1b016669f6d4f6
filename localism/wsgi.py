import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localism.settings")
application = get_wsgi_application()

if os.environ.get("WARM_UP", "1") == "1":
    # Built once here; with gunicorn's preload_app every worker starts from it (localism/warmup.py).
    from .warmup import warm_up

    warm_up()
