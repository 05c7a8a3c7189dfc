"""WSGI entry point; with `gunicorn --preload` the routing index is built once and shared."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socle.settings")
application = get_wsgi_application()

if os.environ.get("SOCLE_PRELOAD_ROUTING", "1") == "1" and os.environ.get(
    "SERVER_SOFTWARE", ""
).startswith("gunicorn"):
    from socle.routage.routing import preload_router

    preload_router()
