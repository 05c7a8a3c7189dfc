"""Tests of socle.api."""
