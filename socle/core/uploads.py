"""Refuse an upload that is too large while it arrives, not after it is all on disk.

Django reads a multipart body through its upload handlers the first time a view touches
``request.POST`` or ``request.FILES``; by default a 200 MB file is written whole to a temporary
file before any view can look at its size. ``upload_limited(max_bytes)`` puts a handler first
that stops reading as soon as the body (its declared ``Content-Length``, then what really
arrives) passes the limit; the view then answers 413 with a French page. After it, the files are
kept in memory whatever their size (``MemoryOnlyUploadHandler``, instead of Django's handlers):
a document is never written in clear to a temporary file, and the limit bounds the memory.

Use it on a view that accepts files::

    @upload_limited(max_bytes=25 * 1024 * 1024)
    def my_upload_view(request, ...):
        ...  # request.POST / request.FILES as usual

The handlers must be set before anything reads the body, and Django's CSRF middleware reads
``request.POST`` for a POST: so the decorator marks the view ``csrf_exempt`` and runs
``csrf_protect`` itself once the handlers are set (the pattern Django's documentation gives for
changing upload handlers). CSRF protection is unchanged. A view given a too-large body sees
``request.upload_too_large`` true and an empty POST; the decorator answers for it.

A middleware that reads the body of every form (core.middleware's NUL check) calls
``upload_limit_apply(request, view)`` in its ``process_view`` first: the decorated view carries
its limit (``upload_max_bytes``), so the handler is in place before the first read.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    StopUpload,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from socle.core.fichiers import size_label


class LimitedUploadHandler(FileUploadHandler):
    """Count what arrives and stop the upload past ``max_bytes`` (the whole body)."""

    def __init__(self, request: HttpRequest, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0

    def _too_large(self) -> None:
        if self.request is not None:
            self.request.upload_too_large = True  # type: ignore[attr-defined]
        # connection_reset=True: Django stops parsing and does not read the rest of the body.
        raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self._too_large()
        return raw_data

    def file_complete(self, file_size):
        return None


class MemoryOnlyUploadHandler(MemoryFileUploadHandler):
    """Keep every uploaded file in memory, whatever its size: after LimitedUploadHandler, whose
    limit bounds the memory used, no clear copy of a citizen's document is ever written to a
    temporary file (Django's TemporaryFileUploadHandler takes files over
    FILE_UPLOAD_MAX_MEMORY_SIZE to disk)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True


def too_large_response(request: HttpRequest, max_bytes: int) -> HttpResponse:
    """The French 413 page."""
    return render(
        request,
        "core/trop_volumineux.html",
        {"limite": size_label(max_bytes)},
        status=413,
    )


def upload_limit_apply(request: HttpRequest, view: Callable) -> HttpResponse | None:
    """Before anything reads the body of a POST to a limited view: answer 413 when its declared
    length is over the limit, else put the counting handler first. Called by the first
    middleware that reads bodies (core.middleware) and by the decorator; once per request."""
    limit = getattr(view, "upload_max_bytes", None)
    if limit is None or request.method != "POST" or getattr(request, "_upload_limit_set", False):
        return None
    request._upload_limit_set = True  # type: ignore[attr-defined]
    request.upload_too_large = False  # type: ignore[attr-defined]
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        request.upload_too_large = True  # type: ignore[attr-defined]
        return too_large_response(request, limit)
    # The limit first, then memory only: Django's own handlers (the temporary file) are dropped.
    request.upload_handlers = [
        LimitedUploadHandler(request, limit),
        MemoryOnlyUploadHandler(request),
    ]
    return None


def upload_limited(max_bytes: int) -> Callable:
    """Decorate a view so that a body larger than ``max_bytes`` is refused as it arrives (413)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            refused = upload_limit_apply(request, limited)
            if refused is not None:
                return refused

            def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
                if request.method == "POST":
                    # Reading the body here runs the handlers before the view sees anything.
                    request.FILES  # noqa: B018
                    if getattr(request, "upload_too_large", False):
                        return too_large_response(request, max_bytes)
                return view(request, *args, **kwargs)

            return csrf_protect(checked)(request, *args, **kwargs)

        limited.upload_max_bytes = max_bytes  # type: ignore[attr-defined]
        return csrf_exempt(limited)

    return decorator
