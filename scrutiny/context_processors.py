from django.conf import settings


def site(request):
    """The service's and the council's names, for the header, footer and page titles; the
    identity provider's name when signing in through it is set up (empty otherwise), and whom
    to ask for access."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        "PROVIDER_NAME": settings.OIDC_PROVIDER_NAME if settings.OIDC_ISSUER else "",
        "ACCESS_REQUEST_CONTACT": settings.ACCESS_REQUEST_CONTACT,
    }
