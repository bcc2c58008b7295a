"""WSGI entry point for gunicorn workers serving pages and the API at scale."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxiao.settings")

application = get_wsgi_application()

from huxiao.core.keycheck import require_readable_data  # noqa: E402

require_readable_data()  # a wrong data key stops the worker here, not at every page
