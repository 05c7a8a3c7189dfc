"""Tests of the demo set-up and the fake FranceConnect / ProConnect provider."""
