"""WSGI entry point for gunicorn workers serving pages and the API at scale."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxiao.settings")

application = get_wsgi_application()
