"""The WSGI application, as gunicorn serves it: `gunicorn config.wsgi --preload …` (README,
"Deploying on several machines").

With `--preload` the master imports this module once, then forks the workers, which share
its memory until each writes to a page of it (copy-on-write). So what every worker's first
requests would otherwise build in its own memory is built here: the URL configurations and
their reverse maps, the template engine, the French catalogs, the password hashers; then
the objects made so far are moved out of the garbage collector's reach (`gc.freeze`): its
passes write to every object they visit, which would copy every page holding one into each
worker. Nothing here opens a connection or starts a thread (a forked worker could not use
them; tests/test_wsgi.py). Typst, Pillow and the other libraries that only some requests
use are imported by the first request that needs them, in the worker.
"""

import gc
import importlib
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# After Django is set up (the settings, the apps).
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_backends  # noqa: E402
from django.contrib.auth.hashers import get_hashers  # noqa: E402
from django.template import Engine  # noqa: E402
from django.urls import get_resolver  # noqa: E402
from django.utils import formats, translation  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

# A landlord's portal, the platform's hosts and the espace agence (landlords.middleware):
# the views, and the map `reverse` reads (Django builds one per language, French only here).
for urlconf in (settings.ROOT_URLCONF, settings.PLATFORM_URLCONF, settings.BACKOFFICE_URLCONF):
    get_resolver(urlconf).url_patterns  # noqa: B018 (imports the views)
    get_resolver(urlconf).reverse_dict  # noqa: B018

# The template engine (its tag libraries, loaders and context processors), the sign-in's
# backends, hashers (Argon2's bindings) and adapter, the French catalogs and date formats,
# the messages' storage and the sessions' serializer: every page uses some of them.
engine = Engine.get_default()
engine.template_loaders  # noqa: B018
engine.template_context_processors  # noqa: B018
get_backends()
for hasher in get_hashers():
    library = getattr(hasher, "library", None)  # a module's name, or (name, module)
    if library:
        importlib.import_module(library[1] if isinstance(library, tuple) else library)
import_string(settings.ACCOUNT_ADAPTER)
with translation.override(settings.LANGUAGE_CODE):  # loads its catalogs
    pass
formats.get_format_modules(settings.LANGUAGE_CODE)
import_string(settings.MESSAGE_STORAGE)
import_string(settings.SESSION_SERIALIZER)

# What was loaded to start stays for the process's life: kept out of the garbage collector's
# full passes, which would otherwise walk it every time (lengthening the slowest requests)
# and, in a worker, write to the pages it shares with the master.
gc.collect()
gc.freeze()
