"""The demo app sits on the top floor: the runtime (the core, the apps, the pages on top,
the project wiring) never imports it, and no demo data is left inside the runtime's
packages. Only the demo itself, the tests and the benchmarks may use it."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
RUNTIME = ("lddh", "campaigns", "donations", "households")
DEMO = ROOT / "lddh" / "demo"


def _runtime_modules():
    for package in RUNTIME:
        for path in sorted((ROOT / package).rglob("*.py")):
            if DEMO in path.parents or "migrations" in path.parts:
                continue
            yield path


def _imports_demo(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]  # importlib.import_module("lddh.demo…") and the like
        else:
            continue
        if any(name == "lddh.demo" or name.startswith("lddh.demo.") for name in names):
            lines.append(node.lineno)
    return lines


def test_no_runtime_module_imports_the_demo():
    offenders = []
    for path in _runtime_modules():
        if path == ROOT / "lddh" / "settings.py":
            continue  # INSTALLED_APPS names the app: wiring, not an import
        lines = _imports_demo(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        offenders += [f"{path.relative_to(ROOT)}:{line}" for line in lines]
    assert offenders == []


def test_settings_only_install_the_demo_app():
    tree = ast.parse((ROOT / "lddh" / "settings.py").read_text(encoding="utf-8"))
    assert len(_imports_demo(tree)) == 1  # the INSTALLED_APPS entry
    apps = settings.INSTALLED_APPS
    project = [a for a in apps if a.split(".")[0] in RUNTIME and a != "lddh.demo"]
    assert all(apps.index(a) < apps.index("lddh.demo") for a in project)  # the top floor


def test_no_demo_data_is_left_in_the_runtime_packages():
    left = [
        str(path.relative_to(ROOT))
        for path in _runtime_modules()
        if path.stem.startswith("demo") or path.stem == "scale"
    ]
    assert left == []


def test_the_check_sees_an_import_of_the_demo():
    tree = ast.parse(
        "from lddh.demo import ward\n"
        "import lddh.demo.scale\n"
        "from lddh import demo\n"
        "import importlib\n"
        "importlib.import_module('lddh.demo.households')\n"
        "from lddh.ward import demography\n"
    )
    assert _imports_demo(tree) == [1, 2, 3, 5]
