"""Tests of socle.territoires."""
