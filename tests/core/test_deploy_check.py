"""Django's deployment checks are clean with production settings."""

import os
import secrets
import subprocess
import sys


def _check(env_overrides: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update({"SOCLE_DATA_DIR": str(tmp_path), **env_overrides})
    return subprocess.run(
        [sys.executable, "-m", "socle", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_the_deployment_checks_with_production_settings(tmp_path):
    result = _check(
        {
            "SOCLE_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "SOCLE_HTTPS": "1",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "socle.example.org",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    result = _check({"SOCLE_ENV": "production", "SECRET_KEY": "", "DEBUG": "0"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
