"""Tests of socle.core."""
