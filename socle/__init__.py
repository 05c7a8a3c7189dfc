"""Socle: shared digital services for French collectivités."""
