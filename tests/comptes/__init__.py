"""Tests of socle.comptes."""
