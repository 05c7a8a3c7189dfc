"""Helpers shared by the tests: accessibility checks, fixtures, personas, harnesses."""
