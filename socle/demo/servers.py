"""A WSGI application served on loopback in a background thread: the fakes' common ground."""

from __future__ import annotations

import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

# How often the background server checks whether it is asked to stop: 10 ms, not the default
# 0.5 s, so that stopping (each test's teardown) is immediate.
SHUTDOWN_POLL_SECONDS = 0.01


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    verbose = False


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the name of the overridden parameter
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


class LoopbackServer:
    """Serve `app` on host:port (0: any free port) in a thread, or in the foreground."""

    def __init__(self, app, *, host: str = "127.0.0.1", port: int = 0, verbose: bool = False):
        self.app = app
        self.httpd = make_server(
            host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
        self.httpd.verbose = verbose  # type: ignore[attr-defined]
        self.port = self.httpd.server_port
        self.url = f"http://{host}:{self.port}"
        self._thread: threading.Thread | None = None

    def start(self):
        self._thread = threading.Thread(
            target=self.httpd.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def serve_forever(self) -> None:
        try:
            self.httpd.serve_forever()
        finally:
            self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
