"""The WSGI application for gunicorn (see gunicorn.conf.py), loaded and made ready to serve."""

import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")

application = get_wsgi_application()


def load_before_serving() -> None:
    """Import every view and compile the project's templates now, rather than in each server
    process's first request.

    That first request otherwise pays about a second (the URLs import every view, and the
    appendix's PDF code imports WeasyPrint), and gunicorn renews its processes every thousand
    or so requests. With gunicorn's `preload_app` the master does this once and every process
    it forks starts ready. It opens no database connection: forked processes must not share one.
    """
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db import connections
    from django.template import engines
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 (the property imports every URL's view)
    engine = engines["django"]
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(directory).rglob("*.html")):
            engine.get_template(path.relative_to(directory).as_posix())
    staticfiles_storage.location  # noqa: B018 (reads collectstatic's manifest)
    connections.close_all()


load_before_serving()
