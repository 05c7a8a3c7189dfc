"""Open311 GeoReport v2 under /open311/v2/ (https://wiki.open311.org/GeoReport_v2)."""
