from django.conf import settings


def site(request):
    """The service's and the council's names, for the header, footer and page titles."""
    return {"SITE_NAME": settings.SITE_NAME, "ORGANISATION_NAME": settings.ORGANISATION_NAME}
