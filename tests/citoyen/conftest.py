"""Every test of the citizen's file stores its encrypted files in its own folder."""

import pytest

from tests.citoyen.helpers import files_dir  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def _own_files_dir(files_dir):  # noqa: F811
    return files_dir
