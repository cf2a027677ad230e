import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# After Django is set up: each web worker loads the PDF fonts once, before its first download.
from documents.rendering import warm_up  # noqa: E402

warm_up()

# What the worker loaded to start (modules, URLs, templates, fonts) stays for its life: kept
# out of the garbage collector's full passes, which would otherwise walk it every time and
# lengthen the slowest requests.
gc.collect()
gc.freeze()
