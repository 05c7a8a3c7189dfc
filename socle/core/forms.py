"""What every app's forms share."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, aliases: Mapping[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: on the fields it names (through `aliases`
    when the service's name differs from the field's), else above the form; a message the
    field already shows is not repeated."""
    aliases = aliases or {}
    pairs: list[tuple[str | None, str]]
    if hasattr(error, "error_dict"):
        pairs = [
            (aliases.get(key, key), message)
            for key, messages in error.message_dict.items()
            for message in messages
        ]
    else:
        pairs = [(None, message) for message in error.messages]
    for key, message in pairs:
        field = key if key in form.fields else None
        if message not in form.errors.get(field or "__all__", []):
            form.add_error(field, message)
