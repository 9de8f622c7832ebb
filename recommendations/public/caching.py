"""Public answers are cheap to serve: shared caches may keep them for five minutes
(`Cache-Control: public, max-age=300`), each carries an `ETag` of its content, and a conditional
request whose ETag still matches is answered `304 Not Modified` with no body.

For someone signed in, `scrutiny.middleware.NoStoreWhenSignedInMiddleware` still turns this into
`no-store`, so nothing a signed-in person sees is kept.
"""

from django.contrib.auth.decorators import login_not_required
from django.middleware.http import ConditionalGetMiddleware
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.cache import cache_control

PUBLIC_MAX_AGE = 300

conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


def public_view(view):
    """Open to everyone signed out, cacheable, and answering conditional requests with 304."""
    return login_not_required(
        conditional_get(cache_control(public=True, max_age=PUBLIC_MAX_AGE)(view))
    )
