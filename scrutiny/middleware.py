"""Response headers the project adds on top of Django's security middleware."""

from django.utils.cache import add_never_cache_headers


class CrossOriginResourcePolicyMiddleware:
    """`Cross-Origin-Resource-Policy: same-origin` on every response, static files included (it
    sits before whitenoise), so no other site can embed what this one serves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class NoStoreWhenSignedInMiddleware:
    """Nothing a signed-in person is shown is kept by the browser or any cache on the way
    (`Cache-Control: no-store`), so the back button on a shared computer after signing out shows
    nothing. Pages for people signed out, and static files, keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
