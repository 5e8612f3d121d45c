"""Under /api/ every answer has the API's error shape, whatever produced it.

Django answers an unknown URL itself, before any view runs: with its technical HTML page when DEBUG is on
and with `handler404` otherwise. This middleware sits outside all of that, so an unknown `/api/` URL answers
`{"detail", "code": "not_found", "errors": {}}` in every mode. Answers that already are JSON (DRF's own 404s)
pass untouched, and so does everything outside /api/.
"""
from django.http import JsonResponse

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
