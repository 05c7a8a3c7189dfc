from django.conf import settings


def platform(request):
    """Expose the platform's name to every template."""
    return {"SITE_NAME": settings.SITE_NAME}
