"""Journeys a person makes in headless Chromium (Playwright)."""
