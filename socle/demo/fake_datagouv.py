"""A local stand-in for data.gouv.fr's API (udata, `/api/1/`), for demo and tests.

It answers the endpoints a producer uses to publish a dataset, as udata documents them (checked
against the data.gouv.fr guide « Gérer un jeu de données par l'API » and udata's source,
`udata/core/dataset/api.py`, `forms.py` and `api_fields.py`):

- `POST /api/1/datasets/` (JSON: `title` and `description` required, `organization` as an id or
  `{"id": …}`, `license` such as `lov2` or `odc-odbl`, `frequency`, `tags`) → 201 with the
  dataset (`id`, `slug`, `page`, `resources: []`…);
- `GET /api/1/datasets/{id}/` → 200, or 404; `PUT /api/1/datasets/{id}/` (the same fields) → 200;
- `POST /api/1/datasets/{id}/upload/` (multipart/form-data, the file in the `file` part) → 201
  with the new resource (`id`, `title` = the file's name, `url`, `format`, `mime`, `filesize`,
  `checksum: {"type": "sha1", "value": …}`, `filetype: "file"`);
- `POST /api/1/datasets/{id}/resources/{rid}/upload/` → 200 with the resource, its file replaced;
- `GET`/`PUT /api/1/datasets/{id}/resources/{rid}/` → the resource; PUT takes `title`,
  `description`, `type` and `schema: {"name": …, "version": …}`.

Writes need the `X-API-KEY` header: none or an unknown key is a 401 (`{"message": …}`), a key of
another organisation a 403. A malformed body is a 400 as udata's `api.validate` answers it
(`{"message": "Validation error", "errors": {field: [message]}}`), an unknown dataset or
resource a 404. Reads are public, as on data.gouv.fr.

Keys are configured per organisation (`organisations={org_id: key}`). Everything received is
kept in memory for the tests: `requests` (method, path, API key, content type, JSON body or
uploaded file name and bytes), `datasets` and `files`. Tests make it fail (`fail_next(503, 2)`:
the next two requests answer 503; `on=` picks which requests) or slow (`upload_delay`).
Plain Python, no Django; loopback only.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import json
import mimetypes
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from socle.demo.servers import LoopbackServer

# An organisation and its key for the demo (`make run`).
DEMO_ORGANISATION = "5bbb6d6cff66bd4dc17bfd5a"
DEMO_KEY = "demo-cle-datagouv-0000000000000000"

LICENSES = {"lov2", "fr-lo", "odc-odbl", "odc-by", "odc-pddl", "cc-by", "cc-by-sa", "notspecified"}
FREQUENCIES = {
    "continuous",
    "hourly",
    "daily",
    "weekly",
    "monthly",
    "quarterly",
    "semiannual",
    "annual",
    "punctual",
    "irregular",
    "unknown",
}
RESOURCE_TYPES = {"main", "documentation", "update", "api", "code", "other"}
REASONS = {
    200: "OK",
    201: "Created",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
MAX_BODY = 200 * 1024 * 1024

DATASET = re.compile(r"^/api/1/datasets/(?P<id>[^/]+)/$")
UPLOAD = re.compile(r"^/api/1/datasets/(?P<id>[^/]+)/upload/$")
RESOURCE = re.compile(r"^/api/1/datasets/(?P<id>[^/]+)/resources/(?P<rid>[^/]+)/$")
REUPLOAD = re.compile(r"^/api/1/datasets/(?P<id>[^/]+)/resources/(?P<rid>[^/]+)/upload/$")
FILE = re.compile(r"^/fichiers/(?P<rid>[^/]+)/(?P<name>[^/]+)$")


class _Answer(Exception):
    """Stop handling a request with this status and JSON body."""

    def __init__(self, status: int, body: dict[str, Any]):
        super().__init__(status)
        self.status = status
        self.body = body


def _invalid(errors: dict[str, str]) -> _Answer:
    return _Answer(
        400,
        {"message": "Validation error", "errors": {k: [v] for k, v in errors.items()}},
    )


@dataclass
class Received:
    """One request as the fake received it."""

    method: str
    path: str
    api_key: str
    content_type: str
    json: Any = None
    filename: str = ""
    content: bytes = b""
    status: int = 0


@dataclass
class _State:
    datasets: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    requests: list[Received] = field(default_factory=list)
    failures: list[tuple[int, re.Pattern[str]]] = field(default_factory=list)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "jeu"


class FakeDataGouvApp:
    """The WSGI application: udata's dataset and resource endpoints, in memory."""

    def __init__(self, organisations: dict[str, str] | None = None):
        # organisation id → its API key.
        self.organisations = dict(organisations or {DEMO_ORGANISATION: DEMO_KEY})
        self.upload_delay = 0.0
        self.base_url = "http://127.0.0.1"
        self._state = _State()
        self._lock = threading.Lock()

    # --- What tests read and set ---------------------------------------------------------------

    @property
    def datasets(self) -> dict[str, dict[str, Any]]:
        return self._state.datasets

    @property
    def files(self) -> dict[str, bytes]:
        return self._state.files

    @property
    def requests(self) -> list[Received]:
        return self._state.requests

    def fail_next(self, status: int = 503, times: int = 1, *, on: str = "") -> None:
        """Answer the next `times` requests with `status` (500, 503…); with `on`, only those
        whose "METHOD /path" matches that regular expression (`on=r"/upload/$"`)."""
        with self._lock:
            self._state.failures.extend([(status, re.compile(on))] * times)

    def reset(self) -> None:
        """Forget everything received."""
        with self._lock:
            self._state = _State()

    # --- WSGI ----------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> list[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")
        received = Received(
            method=method,
            path=path,
            api_key=environ.get("HTTP_X_API_KEY", ""),
            content_type=environ.get("CONTENT_TYPE", ""),
        )
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(min(length, MAX_BODY)) if length > 0 else b""
        with self._lock:
            self._state.requests.append(received)
            failure = None
            for index, (status, on) in enumerate(self._state.failures):
                if on.search(f"{method} {path}"):
                    failure = status
                    del self._state.failures[index]
                    break
        if failure is not None:
            received.status = failure
            return self._json(start_response, failure, {"message": "Service indisponible"})
        try:
            status, payload = self._route(method, path, received, body)
        except _Answer as answer:
            status, payload = answer.status, answer.body
        received.status = status
        if isinstance(payload, bytes):
            start_response(
                f"{status} {REASONS.get(status, 'OK')}",
                [
                    ("Content-Type", "text/csv; charset=utf-8"),
                    ("Content-Length", str(len(payload))),
                ],
            )
            return [payload]
        return self._json(start_response, status, payload)

    def _route(
        self, method: str, path: str, received: Received, body: bytes
    ) -> tuple[int, dict[str, Any] | bytes]:
        if path == "/api/1/datasets/":
            self._allow(method, "POST")
            org = self._auth(received)
            data = self._json_body(received, body)
            return 201, self._dataset_create(org, data)
        if match := FILE.match(path):
            self._allow(method, "GET")
            with self._lock:
                content = self._state.files.get(match["rid"])
            if content is None:
                raise _Answer(404, {"message": "Not Found"})
            return 200, content
        if match := UPLOAD.match(path):
            self._allow(method, "POST")
            org = self._auth(received)
            dataset = self._dataset(match["id"], org)
            name, content = self._file(received, body)
            if self.upload_delay:
                time.sleep(self.upload_delay)
            return 201, self._resource_add(dataset, name, content)
        if match := REUPLOAD.match(path):
            self._allow(method, "POST")
            org = self._auth(received)
            dataset = self._dataset(match["id"], org)
            resource = self._resource(dataset, match["rid"])
            name, content = self._file(received, body)
            if self.upload_delay:
                time.sleep(self.upload_delay)
            return 200, self._resource_file(resource, name, content)
        if match := RESOURCE.match(path):
            self._allow(method, "GET", "PUT")
            if method == "GET":
                return 200, self._resource(self._dataset(match["id"]), match["rid"])
            org = self._auth(received)
            dataset = self._dataset(match["id"], org)
            resource = self._resource(dataset, match["rid"])
            data = self._json_body(received, body)
            return 200, self._resource_update(dataset, resource, data)
        if match := DATASET.match(path):
            self._allow(method, "GET", "PUT")
            if method == "GET":
                return 200, self._dataset(match["id"])
            org = self._auth(received)
            dataset = self._dataset(match["id"], org)
            data = self._json_body(received, body)
            return 200, self._dataset_update(dataset, data, partial=True)
        raise _Answer(404, {"message": "Not Found"})

    # --- Checks --------------------------------------------------------------------------------

    @staticmethod
    def _allow(method: str, *allowed: str) -> None:
        if method not in allowed:
            raise _Answer(405, {"message": "The method is not allowed for the requested URL."})

    def _auth(self, received: Received) -> str:
        """The organisation of the request's key; 401 without a known key."""
        if not received.api_key:
            raise _Answer(401, {"message": "Unauthorized"})
        for org, key in self.organisations.items():
            if secrets.compare_digest(key.encode(), received.api_key.encode()):
                return org
        raise _Answer(401, {"message": "Invalid API Key"})

    @staticmethod
    def _json_body(received: Received, body: bytes) -> dict[str, Any]:
        if "json" not in received.content_type:
            raise _Answer(400, {"message": "The request body must be JSON"})
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise _Answer(400, {"message": f"Invalid JSON: {error}"}) from error
        if not isinstance(data, dict):
            raise _Answer(400, {"message": "The request body must be a JSON object"})
        received.json = data
        return data

    @staticmethod
    def _file(received: Received, body: bytes) -> tuple[str, bytes]:
        """The `file` part of a multipart/form-data body: its name and bytes."""
        if not received.content_type.startswith("multipart/form-data"):
            raise _invalid({"file": "A multipart/form-data body is expected"})
        head = f"Content-Type: {received.content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        if not message.is_multipart():
            raise _invalid({"file": "A multipart/form-data body is expected"})
        for part in message.iter_parts():  # type: ignore[attr-defined]
            if part.get_param("name", header="content-disposition") != "file":
                continue
            name = part.get_filename() or ""
            payload = part.get_payload(decode=True)
            content = payload if isinstance(payload, bytes) else b""
            if not name:
                raise _invalid({"file": "The file has no name"})
            received.filename, received.content = name, content
            return name, content
        raise _invalid({"file": "No file part named 'file'"})

    def _dataset(self, dataset_id: str, org: str | None = None) -> dict[str, Any]:
        with self._lock:
            dataset = self._state.datasets.get(dataset_id)
        if dataset is None:
            raise _Answer(404, {"message": "Dataset not found"})
        if org is not None and dataset["organization"]["id"] != org:
            raise _Answer(403, {"message": "You do not have the permission to modify that object."})
        return dataset

    @staticmethod
    def _resource(dataset: dict[str, Any], rid: str) -> dict[str, Any]:
        for resource in dataset["resources"]:
            if resource["id"] == rid:
                return resource
        raise _Answer(404, {"message": "Resource does not exist"})

    @staticmethod
    def _checked(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
        """The dataset fields of a body, as udata's DatasetForm checks them."""
        errors: dict[str, str] = {}
        fields: dict[str, Any] = {}
        for name in ("title", "description"):
            if name in data or not partial:
                value = data.get(name)
                if not isinstance(value, str) or not value.strip():
                    errors[name] = "This field is required."
                else:
                    fields[name] = value
        if "license" in data:
            if data["license"] not in LICENSES:
                errors["license"] = "Not a valid choice"
            else:
                fields["license"] = data["license"]
        if "frequency" in data:
            if data["frequency"] not in FREQUENCIES:
                errors["frequency"] = "Not a valid choice"
            else:
                fields["frequency"] = data["frequency"]
        if "tags" in data:
            tags = data["tags"]
            if not isinstance(tags, list) or not all(
                isinstance(tag, str) and 3 <= len(tag) <= 96 for tag in tags
            ):
                errors["tags"] = "Tags are strings of 3 to 96 characters"
            else:
                fields["tags"] = tags
        if errors:
            raise _invalid(errors)
        return fields

    # --- Writes --------------------------------------------------------------------------------

    def _dataset_create(self, org: str, data: dict[str, Any]) -> dict[str, Any]:
        fields = self._checked(data, partial=False)
        given = data.get("organization")
        given_id = given.get("id") if isinstance(given, dict) else given
        if not isinstance(given_id, str) or not given_id:
            raise _invalid({"organization": 'Missing "id" field'})
        if given_id != org:
            raise _Answer(403, {"message": "Permission denied for this organization"})
        dataset_id = secrets.token_hex(12)
        slug = _slug(fields["title"])
        with self._lock:
            if any(d["slug"] == slug for d in self._state.datasets.values()):
                slug = f"{slug}-{dataset_id[-6:]}"
            dataset = {
                "id": dataset_id,
                "slug": slug,
                "page": f"https://www.data.gouv.fr/fr/datasets/{slug}/",
                "uri": f"{self.base_url}/api/1/datasets/{dataset_id}/",
                "title": fields["title"],
                "description": fields["description"],
                "organization": {"id": org},
                "license": fields.get("license", "notspecified"),
                "frequency": fields.get("frequency", "unknown"),
                "tags": fields.get("tags", []),
                "private": bool(data.get("private", False)),
                "created_at": _now(),
                "last_modified": _now(),
                "resources": [],
            }
            self._state.datasets[dataset_id] = dataset
        return dataset

    def _dataset_update(
        self, dataset: dict[str, Any], data: dict[str, Any], *, partial: bool
    ) -> dict[str, Any]:
        fields = self._checked(data, partial=partial)
        with self._lock:
            dataset.update(fields)
            dataset["last_modified"] = _now()
        return dataset

    def _resource_add(self, dataset: dict[str, Any], name: str, content: bytes) -> dict[str, Any]:
        resource: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "filetype": "file",
            "type": "main",
            "description": "",
            "schema": {},
            "created_at": _now(),
        }
        self._resource_file(resource, name, content)
        with self._lock:
            dataset["resources"].append(resource)
            dataset["last_modified"] = _now()
        return resource

    def _resource_file(self, resource: dict[str, Any], name: str, content: bytes) -> dict[str, Any]:
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        with self._lock:
            resource.update(
                {
                    "title": name,
                    "url": f"{self.base_url}/fichiers/{resource['id']}/{name}",
                    "format": extension,
                    "mime": mimetypes.guess_type(name)[0] or "application/octet-stream",
                    "filesize": len(content),
                    "checksum": {"type": "sha1", "value": hashlib.sha1(content).hexdigest()},  # noqa: S324 - udata's checksum
                    "last_modified": _now(),
                }
            )
            self._state.files[resource["id"]] = content
        return resource

    def _resource_update(
        self, dataset: dict[str, Any], resource: dict[str, Any], data: dict[str, Any]
    ) -> dict[str, Any]:
        errors: dict[str, str] = {}
        fields: dict[str, Any] = {}
        if "title" in data:
            if not isinstance(data["title"], str) or not data["title"].strip():
                errors["title"] = "This field is required."
            else:
                fields["title"] = data["title"]
        if "description" in data:
            if not isinstance(data["description"], str):
                errors["description"] = "Not a string"
            else:
                fields["description"] = data["description"]
        if "type" in data:
            if data["type"] not in RESOURCE_TYPES:
                errors["type"] = "Not a valid choice"
            else:
                fields["type"] = data["type"]
        if "filetype" in data and data["filetype"] != resource["filetype"]:
            errors["filetype"] = "Cannot modify filetype after creation"
        if "schema" in data:
            schema = data["schema"]
            if schema is None:
                fields["schema"] = {}
            elif (
                not isinstance(schema, dict)
                or not isinstance(schema.get("name"), str)
                or not schema["name"]
                or not isinstance(schema.get("version", ""), str | None)
            ):
                errors["schema"] = 'A schema is {"name": …, "version": …}'
            else:
                fields["schema"] = {
                    "name": schema["name"],
                    "version": schema.get("version") or None,
                    "url": schema.get("url"),
                }
        if errors:
            raise _invalid(errors)
        with self._lock:
            resource.update(fields)
            resource["last_modified"] = _now()
            dataset["last_modified"] = _now()
        return resource

    @staticmethod
    def _json(start_response: Callable, status: int, body: dict[str, Any]) -> list[bytes]:
        data = json.dumps(body, ensure_ascii=False).encode()
        start_response(
            f"{status} {REASONS.get(status, 'Error')}",
            [
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Length", str(len(data))),
            ],
        )
        return [data]


class FakeDataGouvServer(LoopbackServer):
    """Serve the fake data.gouv.fr API on loopback in a background thread (a context manager).

    `api_url` is what DATAGOUV_API_URL should be set to (`…/api/1`).
    """

    def __init__(
        self,
        *,
        organisations: dict[str, str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
    ):
        app = FakeDataGouvApp(organisations)
        super().__init__(app, host=host, port=port, verbose=verbose)
        app.base_url = self.url
        self.fake = app
        self.api_url = f"{self.url}/api/1"
