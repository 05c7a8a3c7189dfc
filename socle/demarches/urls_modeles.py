"""Stub: its brief fills it."""

urlpatterns: list = []
