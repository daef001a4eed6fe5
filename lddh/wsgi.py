import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lddh.settings")
from lddh.startup import load_settings_or_exit, ready_to_serve, site_url_checked_or_exit

load_settings_or_exit()
application = get_wsgi_application()
site_url_checked_or_exit()
ready_to_serve()
