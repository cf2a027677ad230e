"""The WSGI application, as gunicorn serves it: `gunicorn config.wsgi --preload …` (README,
"Deploying on several machines").

With `--preload` the master imports this module once, then forks the workers, which share
its memory until each writes to a page of it (copy-on-write). So the URL configurations
are loaded here too, or each worker's first request would load them in its own memory,
and the objects made so far are moved out of the garbage collector's reach (`gc.freeze`):
its passes write to every object they visit, which would copy every page holding one into
each worker. Nothing here opens a connection or starts a thread (a forked worker could not
use them; tests/test_wsgi.py). Typst, Pillow and the other libraries that only some
requests use are imported by the first request that needs them, in the worker.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# After Django is set up (the settings, the apps).
from django.conf import settings  # noqa: E402
from django.urls import get_resolver  # noqa: E402

# A landlord's portal, the platform's hosts and the espace agence (landlords.middleware).
for urlconf in (settings.ROOT_URLCONF, settings.PLATFORM_URLCONF, settings.BACKOFFICE_URLCONF):
    get_resolver(urlconf).url_patterns  # noqa: B018 (imports the views)

# What was loaded to start stays for the process's life: kept out of the garbage collector's
# full passes, which would otherwise walk it every time (lengthening the slowest requests)
# and, in a worker, write to the pages it shares with the master.
gc.collect()
gc.freeze()
