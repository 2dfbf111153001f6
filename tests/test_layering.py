"""The folders are the architecture: who may import whom.

- ``kexie.platform`` is the floor (accounts, outbox, shared helpers): it imports
  no domain app and nothing of ``kexie.portal``.
- ``members`` imports neither ``outreach`` nor ``experts``; ``outreach`` and
  ``experts`` never import each other.
- ``kexie.portal`` is the roof (features spanning the apps): no domain app and
  nothing of the platform imports it.

Read from the source with ``ast``, so an import hidden inside a function counts too.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "kexie/platform": ("members", "outreach", "experts", "kexie.portal"),
    "members": ("outreach", "experts", "kexie.portal"),
    "outreach": ("experts", "kexie.portal"),
    "experts": ("outreach", "kexie.portal"),
}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def _violations(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for line, module in _imports(path):
            if any(module == name or module.startswith(name + ".") for name in forbidden):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_layer_imports_only_what_it_may(folder):
    assert _violations(folder, FORBIDDEN[folder]) == []


def test_the_check_finds_a_forbidden_import(tmp_path, monkeypatch):
    module = tmp_path / "members"
    module.mkdir()
    (module / "bad.py").write_text("def f():\n    from outreach.models import Event\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert _violations("members", FORBIDDEN["members"]) == [
        "members/bad.py:2 imports outreach.models"
    ]
