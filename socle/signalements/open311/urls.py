"""Open311 GeoReport v2 endpoints, each in .json and .xml."""

urlpatterns: list = []
