"""Refuse, with the French 400 page, input that no database stores: NUL characters."""

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string

from socle.core.uploads import upload_limit_apply


class RejectNulCharactersMiddleware:
    """A NUL character in the URL, the query string or a form is never a person's input: refuse
    it before any view (PostgreSQL would refuse it later, as a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return HttpResponseBadRequest(render_to_string("400.html"))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The view known, a size-limited upload view gets its limit before the body is read
        # (core/uploads.py).
        refused = upload_limit_apply(request, view_func)
        if refused is not None:
            return refused
        if self._has_nul(request):
            return HttpResponseBadRequest(render_to_string("400.html"))
        return None

    @staticmethod
    def _has_nul(request) -> bool:
        if request.method == "POST" and request.content_type in {
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        }:
            return any("\x00" in value for values in request.POST.lists() for value in values[1])
        return False
