"""Serving the scan of a paper agreement (the caller checked selectors.can_see_paper): from MEDIA_ROOT, never a
public URL, with the type sniffed when it was attached and no guessing by the browser."""
from django.http import FileResponse

from ..models import PairingAgreement
from .documents import document_number

EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def paper_response(pairing: PairingAgreement) -> FileResponse:
    response = FileResponse(pairing.paper_scan.open("rb"), content_type=pairing.paper_content_type)
    name = f"{document_number(pairing)}-paper{EXTENSIONS.get(pairing.paper_content_type, '')}"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
