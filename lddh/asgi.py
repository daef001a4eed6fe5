import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lddh.settings")
from lddh.startup import load_settings_or_exit, ready_to_serve, site_url_checked_or_exit

load_settings_or_exit()
application = get_asgi_application()
site_url_checked_or_exit()
ready_to_serve()
