"""On an espace agence host, a few shared templates are replaced by the back office's own.

allauth's pages (sign-in, two-step verification, password reset) extend "base.html" and
link to tenant pages; on the back-office host this loader, placed before the cached
loaders, answers those names from backoffice/host_templates/ instead, so the same views
render in the back office's layout with its links. Elsewhere it finds nothing.
"""

from pathlib import Path

from django.template.loaders.filesystem import Loader as FilesystemLoader

from core.allauth_bridge import current_request

HOST_TEMPLATES = Path(__file__).resolve().parent / "host_templates"


class Loader(FilesystemLoader):
    def get_dirs(self):
        request = current_request()
        return [HOST_TEMPLATES] if getattr(request, "is_backoffice", False) else []
