"""Serve a member's own host name (e.g. services.pessac.fr) as its public site."""

from socle.membres.selectors import membre_for_hostname


class MemberHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.host_membre = membre_for_hostname(request.get_host().split(":")[0].lower())
        return self.get_response(request)
