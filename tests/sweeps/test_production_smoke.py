"""The production stack, as the image and docker-compose.yml run it: static
files built by ``bin/build-static`` (the Dockerfile's step), gunicorn with
production settings (DEBUG off, the TLS redirect on, one trusted proxy) and
Debian's nginx in front, rendered from the compose proxy's own template.

Every URL of the sweep table is fetched through nginx as an anonymous visitor
and must answer as it does in process (so a page that renders in the tests but
fails in production, like the missing manifest entry of issue 18, fails here),
with every stylesheet, script and image it links loading from ``/static/``;
then an uploaded image through ``/media/`` and ``/healthz``.

Skipped when nginx is not installed (``make test`` installs it when root).
"""

import http.client
import io
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from PIL import Image

from kexie.platform.pictures.services import picture_create
from tests import stack
from tests.sweeps.conftest import build_sweep_world
from tests.sweeps.urltable import app_targets

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(stack.nginx_path() is None, reason="needs nginx (make test installs it)"),
]

ASSET_RE = re.compile(rb'(?:href|src)="(/static/[^"#?]+)')


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def _database_url(workdir: Path) -> str:
    """Where gunicorn finds the test's committed rows: the test database
    itself on PostgreSQL, a file copy of the in-memory one on SQLite."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = db["USER"] or "postgres"
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        host = db["HOST"] or "127.0.0.1"
        return f"postgres://{user}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
    path = workdir / "smoke.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


@pytest.fixture
def sweep_world(transactional_db):
    """Built afresh and committed, since gunicorn reads it from the database."""
    return build_sweep_world()


@pytest.fixture
def production_stack(sweep_world, tmp_path):
    """``(nginx port, gunicorn port, world)`` with an uploaded venue photo."""
    venue = sweep_world["venue"]
    venue.picture = picture_create(
        upload=SimpleUploadedFile("smoke.png", _png()), alt="科技馆外景", by=None
    )
    venue.save()
    static_root = tmp_path / "static"
    stack.build_static(static_root)
    env = stack.production_env(
        database_url=_database_url(tmp_path),
        static_root=static_root,
        media_root=Path(settings.MEDIA_ROOT),
        PRIVATE_MEDIA_ROOT=settings.PRIVATE_MEDIA_ROOT,
        # The world's password-reset token is signed with the test's key.
        SECRET_KEY=settings.SECRET_KEY,
    )
    gunicorn, web_port = stack.start_gunicorn(env, tmp_path)
    try:
        nginx, port = stack.start_nginx(
            upstream_port=web_port,
            static_root=static_root,
            media_root=Path(settings.MEDIA_ROOT),
            workdir=tmp_path,
        )
    except Exception:
        gunicorn.stop()
        raise
    try:
        yield port, web_port, sweep_world
    finally:
        nginx.stop()
        gunicorn.stop()
        # PostgreSQL: gunicorn's connections are gone before the flush.


def _page_failures(port, world) -> tuple[list[str], set[bytes]]:
    """Each URL of the sweep table (and the admin's log-in page) through
    nginx, compared with the same request in process."""
    urls = [(t.key, t.url) for t in app_targets(world)]
    urls.append(("admin:login", reverse("admin:login")))
    in_process = Client()
    failures, assets = [], set()
    for key, url in urls:
        expected = in_process.get(url)
        if expected.streaming:
            b"".join(expected.streaming_content)
        status, headers, body = stack.get(port, url)
        if status >= 500 or status != expected.status_code:
            failures.append(
                f"{key} {url}: {status} through nginx, {expected.status_code} in process"
            )
        elif status == 200 and headers.get("Content-Type", "").startswith("text/html"):
            assets.update(ASSET_RE.findall(body))
    for asset in sorted(assets):
        status = stack.get(port, asset.decode())[0]
        if status != 200:
            failures.append(f"asset {asset.decode()}: {status}")
    return failures, assets


def test_production_stack_serves_every_public_page_static_file_upload_and_healthz(
    production_stack,
):
    port, web_port, world = production_stack

    failures, assets = _page_failures(port, world)
    assert failures == []
    # The pages name hashed files from the manifest.
    css = next(
        a.decode() for a in sorted(assets) if re.search(rb"bootstrap\.min\.[0-9a-f]{12}\.css$", a)
    )

    # nginx serves them, compressed, for a year; gunicorn never sees them.
    status, headers, _body = stack.get(port, css, headers={"Accept-Encoding": "gzip"})
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    assert "immutable" in headers["Cache-Control"]

    # An uploaded picture's rendition under /media/, named by its content and
    # cached for a year; its original and private files are not there.
    picture = world["venue"].picture
    status, headers, body = stack.get(port, picture.url("thumb"))
    stored = (Path(settings.MEDIA_ROOT) / picture.rendition("thumb")["name"]).read_bytes()
    assert (status, headers["Content-Type"], body) == (200, "image/webp", stored)
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert stack.get(port, f"/media/{picture.original.name}")[0] == 404
    attachment = world["attachment"].file.name
    assert stack.get(port, f"/media/{attachment}")[0] == 404
    assert stack.get(port, f"/media/../private-media/{attachment}")[0] in (400, 404)

    status, _headers, body = stack.get(port, "/healthz")
    assert (status, json.loads(body)["database"]) == (200, "ok")
    # The compose file's health check of web, as it runs in the container.
    check = subprocess.run(
        [sys.executable, str(stack.ROOT / "bin" / "healthcheck"), str(web_port)],
        env={"ALLOWED_HOSTS": stack.HOST},
        capture_output=True,
        timeout=30,
    )
    assert check.returncode == 0, check.stderr

    # The compose file's health check of the proxy, pointed at this nginx.
    compose = (stack.ROOT / "docker-compose.yml").read_text()
    probe = re.search(r'"(exec 3<>/dev/tcp/127\.0\.0\.1/80 [^"]+)"', compose).group(1)
    probe = probe.replace("/127.0.0.1/80 ", f"/127.0.0.1/{port} ").replace("\\\\", "\\")
    assert subprocess.run(["bash", "-c", probe], timeout=30).returncode == 0

    _nginx_errors_are_the_portals_pages(port)

    # Plain HTTP (no X-Forwarded-Proto: https from a TLS proxy) is sent to HTTPS.
    status, headers, _body = stack.get(port, "/events/", https=False)
    assert (status, headers["Location"]) == (301, f"https://{stack.HOST}/events/")


def _post_too_large(port: int) -> tuple[int, bytes]:
    """A POST declaring a body over nginx's client_max_body_size (none sent)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("POST", "/bang/needs/new/", skip_host=True)
        connection.putheader("Host", stack.HOST)
        connection.putheader("X-Forwarded-Proto", "https")
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(64 * 1024 * 1024))
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _nginx_errors_are_the_portals_pages(port: int) -> None:
    """What nginx answered itself was its bare English page ("413 Request
    Entity Too Large … nginx"), and a search of some 450 Chinese characters
    reached gunicorn, whose request-line limit (4094 bytes) is half nginx's,
    and got gunicorn's English "URI Too Long": each is now the portal's page
    in Chinese and English, and such a search is searched."""
    status, headers, body = stack.get(port, "/search/?q=" + "科普" * 300)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"URI Too Long" not in body
    status, headers, body = stack.get(port, "/search/?q=" + "科普" * 700)
    assert status == 414
    assert "网页地址太长" in body.decode() and "Address too long" in body.decode()
    status, body = _post_too_large(port)
    assert status == 413
    assert "文件太大" in body.decode() and "File too large" in body.decode()
    assert b"nginx" not in body
    # A NUL byte in the address: nginx refuses it before the portal.
    status, headers, body = stack.get(port, "/%00")
    assert status == 400
    assert "请求有误" in body.decode() and b"nginx" not in body
    # Each page's stylesheet is served.
    css = re.search(rb'href="(/static/[^"]+\.css)"', body).group(1).decode()
    assert stack.get(port, css)[0] == 200
