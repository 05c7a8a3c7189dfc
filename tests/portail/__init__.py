"""Tests of socle.portail."""
