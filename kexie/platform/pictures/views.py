from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe
from django.views.static import serve

from kexie.platform.lib.stored_files import open_or_404
from kexie.platform.pictures.models import Picture

IMMUTABLE = "public, max-age=31536000, immutable"


@require_safe
def rendition(request, path: str):
    """A rendition file, for deployments where no proxy serves ``/media/``
    (``runserver``, a bare gunicorn). Its name is its content's hash: cached
    for a year. Only ``MEDIA_ROOT/pictures`` is reachable here."""
    try:
        response = serve(request, path, document_root=Path(settings.MEDIA_ROOT) / "pictures")
    except SuspiciousFileOperation as exc:  # a path leading out of the folder
        raise Http404 from exc
    response["Cache-Control"] = IMMUTABLE
    return response


@require_safe
def original(request, pk: int):
    """The uploaded file, unless the uploader kept it private: then it has no
    address at all (404 for everyone)."""
    picture = get_object_or_404(Picture, pk=pk)
    if picture.original_private or not picture.original:
        raise Http404
    response = FileResponse(open_or_404(picture.original), as_attachment=False)
    response["Cache-Control"] = "public, max-age=3600"
    return response
