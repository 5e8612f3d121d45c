"""Under /api/ every answer has the API's error shape, whatever produced it; and a write to a URL without its
trailing slash is redirected so that the client repeats the same write (SlashRedirectMiddleware).

Django answers an unknown URL itself, before any view runs: with its technical HTML page when DEBUG is on
and with `handler404` otherwise. This middleware sits outside all of that, so an unknown `/api/` URL answers
`{"detail", "code": "not_found", "errors": {}}` in every mode. Answers that already are JSON (DRF's own 404s)
pass untouched, and so does everything outside /api/.
"""
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.middleware.common import CommonMiddleware
from django.utils.http import escape_leading_slashes

API_PREFIX = "/api/"
NOT_FOUND = {"detail": "未找到 / Not found.", "code": "not_found", "errors": {}}


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX)


class ApiErrorShapeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code == 404 and is_api_path(request.path)
                and not response.get("Content-Type", "").startswith("application/json")):
            return JsonResponse(NOT_FOUND, status=404)
        return response


class PermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    """308: the client sends the same method and body to the new address (301 is followed with a GET)."""

    status_code = 308


class SlashRedirectMiddleware(CommonMiddleware):
    """Django's CommonMiddleware, but a POST, PUT, PATCH or DELETE to a URL that exists only with its trailing slash
    (`POST /api/v1/challenges/7/publish`) answers 308 to that URL — clients repeat the write there — instead of
    DEBUG's RuntimeError (a 500 page) or, without DEBUG, a 301 that clients follow with a GET (a 405)."""

    def get_full_path_with_slash(self, request):
        return escape_leading_slashes(request.get_full_path(force_append_slash=True))

    def process_response(self, request, response):
        if (response.status_code == 404 and request.method not in ("GET", "HEAD")
                and self.should_redirect_with_slash(request)):
            return PermanentRedirectKeepingMethod(self.get_full_path_with_slash(request))
        return super().process_response(request, response)
