"""Tests of socle.journal."""
