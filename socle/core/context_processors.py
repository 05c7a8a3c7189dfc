from django.conf import settings

from socle.core.modules import registered_modules


def platform(request):
    """Expose the platform's name, and the online services it really offers, to every template."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        # What pages may promise: the modules installed here, never those still to come.
        "MODULES_OFFERED": [module.label for module in registered_modules() if module.switchable],
    }
