"""The module's structure-wide pages: the citizen's, Open311 and the opérateur's."""

from socle.signalements import citizen_urls, operateur_urls
from socle.signalements.open311 import urls as open311_urls

urlpatterns = [
    *open311_urls.urlpatterns,
    *operateur_urls.urlpatterns,
    *citizen_urls.urlpatterns,
]
