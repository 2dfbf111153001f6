"""Issue 18, finding 1: the production image served a 500 on every HTML page,
because its Dockerfile ran collectstatic with DEBUG=1 (no manifest). One
script, ``bin/build-static``, builds static files as production needs them;
the Dockerfile and the production smoke test (tests/sweeps/) both call it.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

from tests import stack

ROOT = Path(__file__).resolve().parents[2]
STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")


def _template_static_names() -> set[str]:
    names = set()
    for template in (ROOT / "templates").rglob("*.html"):
        names.update(STATIC_TAG.findall(template.read_text()))
    for app in ("members", "outreach", "experts", "kexie"):
        for template in (ROOT / app).rglob("templates/**/*.html"):
            names.update(STATIC_TAG.findall(template.read_text()))
    return names


def test_production_image_builds_static_files_with_the_shared_script_not_debug():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "bin/build-static" in dockerfile
    assert "manage.py collectstatic" not in dockerfile
    assert "DEBUG=1" not in dockerfile


def test_production_static_build_has_a_manifest_entry_for_every_file_a_template_names(tmp_path):
    stack.build_static(tmp_path / "static")
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    names = _template_static_names()
    assert "vendor/bootstrap-5.3.8/bootstrap.min.css" in names
    assert sorted(names - manifest.keys()) == []
    for name in names:
        assert (tmp_path / "static" / manifest[name]).is_file()


def test_healthcheck_script_fails_when_nothing_answers():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bin" / "healthcheck"), str(stack.free_port())],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
