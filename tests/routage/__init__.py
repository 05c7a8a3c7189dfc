"""Tests of socle.routage."""
