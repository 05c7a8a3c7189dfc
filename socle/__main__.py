"""The `socle` command: Django's management commands under one name."""

import os
import sys


def main() -> None:
    """Run a management command with Socle's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socle.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
