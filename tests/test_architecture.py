"""The apps call one way: asn ← decisions ← assessment ← succession ← portal ← api, demo (ARCHITECTURE.md)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lower layers first; an app may import only apps of a lower layer (and itself).
LAYERS = [["asn"], ["decisions"], ["assessment"], ["succession"], ["portal"], ["api", "demo"]]
LAYER_OF = {app: depth for depth, apps in enumerate(LAYERS) for app in apps}


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & LAYER_OF.keys()


def _app_modules():
    for app in LAYER_OF:
        for path in sorted((ROOT / app).rglob("*.py")):
            yield app, path


@pytest.mark.parametrize(("app", "path"), list(_app_modules()), ids=lambda value: getattr(value, "name", value))
def test_no_app_imports_an_app_above_it(app, path):
    module = str(path.relative_to(ROOT))
    upward = {other for other in _imported_apps(path) if LAYER_OF[other] > LAYER_OF[app]}
    assert upward == set(), f"{module} ({app}) imports {sorted(upward)}"
