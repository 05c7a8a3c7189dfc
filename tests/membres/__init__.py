"""Tests of socle.membres."""
