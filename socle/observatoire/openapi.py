"""The observatory's part of the OpenAPI document."""

from typing import Any


def openapi_part() -> dict[str, Any]:
    """Return the observatory's paths and schemas."""
    return {"paths": {}, "schemas": {}}
