"""Issue 18, finding 10: uploaded public images were never served in
production (no /media/ route with DEBUG off, nothing in docker-compose.yml for
it). The compose file's proxy (nginx) serves /media/ from the public uploads
volume only; the production smoke test (tests/sweeps/) fetches an upload
through the same nginx template."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _services() -> dict[str, str]:
    text = (ROOT / "docker-compose.yml").read_text()
    body = text.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    blocks = re.split(r"\n  (?=[a-z][a-z-]*:\n)", "\n" + body)
    return {block.split(":", 1)[0].strip(): block for block in blocks if block.strip()}


def test_compose_has_a_proxy_that_serves_public_uploads_and_never_private_ones():
    services = _services()
    proxy = services["proxy"]
    assert "target: proxy" in proxy
    assert "- media:/srv/media:ro" in proxy
    assert "private-media" not in proxy
    assert "'127.0.0.1:8000:80'" in proxy
    # web is reached through the proxy only.
    assert "ports:" not in services["web"]


def test_app_containers_keep_private_uploads_on_their_own_volume():
    text = (ROOT / "docker-compose.yml").read_text()
    assert "- media:/data/media" in text
    assert "- private-media:/data/private-media" in text


def test_nginx_template_serves_media_as_inert_files_and_static_from_the_build():
    template = (ROOT / "deploy" / "nginx" / "kexie.conf.template").read_text()
    media = template.split("location /media/ {", 1)[1].split("\n    }", 1)[0]
    assert "alias ${KEXIE_MEDIA_ROOT}/;" in media
    assert "nosniff" in media and "sandbox" in media
    assert "alias ${KEXIE_STATIC_ROOT}/;" in template
    assert "client_max_body_size ${KEXIE_CLIENT_MAX_BODY_SIZE};" in template
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY --from=app /app/build/static /srv/static" in dockerfile


def test_nginx_passes_the_host_with_its_port():
    # The compose file publishes the proxy on 127.0.0.1:8000; the portal must
    # see that port to write addresses that lead back to it.
    template = (ROOT / "deploy" / "nginx" / "kexie.conf.template").read_text()
    assert "proxy_set_header Host $http_host;" in template
    assert "proxy_set_header Host $host;" not in template
