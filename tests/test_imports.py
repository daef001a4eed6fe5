"""The floors of the house, read from the source: imports point down, and what crosses a
module's border is public.

The walk parses every module of the project packages with `ast` (nothing is imported),
resolves relative imports, and fails on:

1. an upward or backward import between layers:
   core (`lddh/ward`, `lddh/formats`, `lddh/env.py`, `lddh/startup.py`) imports no app
   and nothing on top; `campaigns` imports neither `donations` nor `households`;
   `donations` does not import `households`; no app imports the top
   (`lddh/dashboard`, `lddh/public`, `lddh/reports`, `lddh/supervision`, `lddh/demo`);
   nothing but the wiring imports `lddh/demo`, which sits above everything.
   The wiring (`lddh/settings.py`, `lddh/urls.py`, `lddh/wsgi.py`, `lddh/asgi.py`) sees
   everything and is exempt.
2. an underscore name taken from another module: `from x import _y`, `import x._y`,
   `from x import _module`, or `x._y` where `x` is an imported module. Django's own
   underscore API on objects (`Model._meta`) is not a module attribute and is not
   concerned. Migrations are walked too; a migration that needs a private helper would be
   listed in MIGRATION_EXEMPT with its reason (none needs one today).

3. an import of a project module that does not exist, or of a name the module does not
   bind (a path left behind when a module moves).

Imports made at run time by name (`import_module`, `apps.get_model`, dotted paths in
settings) are not seen here; the wiring is where such names belong.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("lddh", "campaigns", "donations", "households")

WIRING = {"lddh", "lddh.settings", "lddh.urls", "lddh.wsgi", "lddh.asgi"}
CORE = ("lddh.ward", "lddh.formats", "lddh.env", "lddh.startup")
TOP = ("lddh.dashboard", "lddh.public", "lddh.reports", "lddh.supervision")
DEMO = "lddh.demo"

# layer number, and which layers a module of that layer may import
CORE_L, CAMPAIGNS_L, DONATIONS_L, HOUSEHOLDS_L, TOP_L, DEMO_L = range(6)
MAY_IMPORT = {
    CORE_L: {CORE_L},
    CAMPAIGNS_L: {CORE_L, CAMPAIGNS_L},
    DONATIONS_L: {CORE_L, CAMPAIGNS_L, DONATIONS_L},
    HOUSEHOLDS_L: {CORE_L, CAMPAIGNS_L, DONATIONS_L, HOUSEHOLDS_L},
    TOP_L: {CORE_L, CAMPAIGNS_L, DONATIONS_L, HOUSEHOLDS_L, TOP_L},
    DEMO_L: {CORE_L, CAMPAIGNS_L, DONATIONS_L, HOUSEHOLDS_L, TOP_L, DEMO_L},
}
LAYER_NAMES = ["core", "campaigns", "donations", "households", "top", "demo"]

# migration module -> why it may use a private name (Django serialises the callable).
MIGRATION_EXEMPT: dict[str, str] = {}


def _under(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def layer(name: str) -> int | None:
    """The layer of a project module, None for the wiring and for outside modules."""
    if name in WIRING:
        return None
    if _under(name, (DEMO,)):
        return DEMO_L
    if _under(name, CORE):
        return CORE_L
    if _under(name, TOP):
        return TOP_L
    if _under(name, ("campaigns",)):
        return CAMPAIGNS_L
    if _under(name, ("donations",)):
        return DONATIONS_L
    if _under(name, ("households",)):
        return HOUSEHOLDS_L
    if _under(name, ("lddh",)):
        # a module directly in lddh/ that is neither wiring nor a known floor
        return TOP_L
    return None


def is_private(part: str) -> bool:
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    is_package: bool

    @property
    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]


def project_modules() -> dict[str, Module]:
    modules = {}
    for top in PACKAGES:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            modules[".".join(parts)] = Module(".".join(parts), path, is_package)
    return modules


MODULES = project_modules()


def resolve(module: Module, level: int, target: str | None) -> str:
    if not level:
        return target or ""
    base = module.package.split(".")
    if level > 1:
        base = base[: -(level - 1)]
    return ".".join(base + ([target] if target else []))


def _top_statements(body):
    """Top-level statements, looking inside if/try blocks but not into definitions."""
    for node in body:
        yield node
        if isinstance(node, (ast.If, ast.Try)):
            for field in ("body", "orelse", "finalbody"):
                yield from _top_statements(getattr(node, field, []))
            for handler in getattr(node, "handlers", []):
                yield from _top_statements(handler.body)


_BINDINGS: dict[str, tuple[set[str], set[str]]] = {}


def bindings(name: str) -> tuple[set[str], set[str]]:
    """What a project module binds at its top level, and what `import *` takes from it
    (its `__all__`, or else its names without an underscore)."""
    if name not in _BINDINGS:
        _BINDINGS[name] = (set(), set())  # a cycle of `import *` ends here
        module = MODULES[name]
        names: set[str] = set()
        declared: set[str] | None = None
        for node in _top_statements(ast.parse(module.path.read_text(encoding="utf-8")).body):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
                if "__all__" in names and declared is None and isinstance(node, ast.Assign):
                    value = node.value
                    if isinstance(value, (ast.List, ast.Tuple)):
                        declared = {e.value for e in value.elts if isinstance(e, ast.Constant)}
            elif isinstance(node, ast.Import):
                names |= {a.asname or a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = resolve(module, node.level, node.module)
                for alias in node.names:
                    if alias.name != "*":
                        names.add(alias.asname or alias.name)
                    elif base in MODULES:
                        names |= bindings(base)[1]
        public = declared if declared is not None else {n for n in names if n[0] != "_"}
        _BINDINGS[name] = (names, public)
    return _BINDINGS[name]


@dataclass(frozen=True)
class Finding:
    module: str
    line: int
    what: str

    def __str__(self):
        return f"{self.module}:{self.line}: {self.what}"


def findings_for(module: Module) -> list[Finding]:
    found: list[Finding] = []
    own_layer = layer(module.name)
    tree = ast.parse(module.path.read_text(encoding="utf-8"), str(module.path))
    module_names: dict[str, str] = {}  # local name bound to a module -> module name

    def check_layer(line: int, target: str):
        target_layer = layer(target)
        if own_layer is None or target_layer is None:
            return
        if target_layer not in MAY_IMPORT[own_layer]:
            found.append(
                Finding(
                    module.name,
                    line,
                    f"{LAYER_NAMES[own_layer]} imports {LAYER_NAMES[target_layer]}: {target}",
                )
            )

    def check_private_path(line: int, dotted: str, shown: str):
        if any(is_private(p) for p in dotted.split(".")):
            found.append(Finding(module.name, line, f"private import: {shown}"))

    def check_exists(line: int, target: str, name: str | None = None):
        """An import of the project names a module that exists, and a name it binds."""
        if not _under(target, PACKAGES):
            return
        if target not in MODULES:
            found.append(Finding(module.name, line, f"no such module: {target}"))
        elif name and f"{target}.{name}" not in MODULES and name not in bindings(target)[0]:
            found.append(Finding(module.name, line, f"{target} has no {name}"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                check_exists(node.lineno, alias.name)
                check_layer(node.lineno, alias.name)
                check_private_path(node.lineno, alias.name, f"import {alias.name}")
                if alias.asname:
                    module_names[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    module_names[head] = head
        elif isinstance(node, ast.ImportFrom):
            base = resolve(module, node.level, node.module)
            shown = "." * node.level + (node.module or "")
            check_layer(node.lineno, base)
            check_private_path(node.lineno, base, f"from {shown} import ...")
            for alias in node.names:
                check_exists(node.lineno, base, None if alias.name == "*" else alias.name)
                if alias.name == "*":
                    continue
                full = f"{base}.{alias.name}"
                if is_private(alias.name):
                    found.append(
                        Finding(
                            module.name,
                            node.lineno,
                            f"private import: from {shown} import {alias.name}",
                        )
                    )
                if full in MODULES:
                    # a submodule: check its floor and track its attribute use
                    check_layer(node.lineno, full)
                    module_names[alias.asname or alias.name] = full

    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not is_private(node.attr):
            continue
        chain = []
        value = node
        while isinstance(value, ast.Attribute):
            chain.append(value.attr)
            value = value.value
        if not isinstance(value, ast.Name) or value.id not in module_names:
            continue
        chain.reverse()  # attributes from the name outward; the private one is last
        dotted = module_names[value.id]
        for attr in chain[:-1]:
            dotted = f"{dotted}.{attr}"
        # `x._y` where x is a module (project module, or any imported outside module)
        if dotted in MODULES or not _under(dotted, PACKAGES):
            found.append(
                Finding(
                    module.name,
                    node.lineno,
                    f"private attribute of module {dotted}: .{node.attr}",
                )
            )
    return found


def all_findings() -> list[Finding]:
    found = []
    for name, module in sorted(MODULES.items()):
        for finding in findings_for(module):
            if ".migrations." in name and name in MIGRATION_EXEMPT:
                continue
            found.append(finding)
    return found


def test_walk_sees_every_app():
    for package in PACKAGES:
        assert package in MODULES
    assert len(MODULES) > 100


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from lddh.ward.models import ResidentialGroup", None),
        ("from donations.models import Donation", "campaigns imports donations"),
        ("from households import selectors", "campaigns imports households"),
        ("from lddh.public import cache", "campaigns imports top"),
        ("from donations.services._x import y", "private import"),
        ("from lddh.ward.money import _digits", "private import"),
        ("import lddh.ward.money as m\nm._digits(1)", "private attribute"),
        ("from lddh.ward import money\nmoney._digits(1)", "private attribute"),
        ("from lddh.ward.models import ResidentialGroup\nResidentialGroup._meta", None),
        ("from lddh.ward.nowhere import x", "no such module"),
        ("from lddh.ward.models import Nowhere", "has no Nowhere"),
        ("from donations.forms import DonationForm", "campaigns imports donations"),
    ],
)
def test_walk_finds_what_it_should(tmp_path, source, expected):
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    found = findings_for(Module("campaigns.probe", path, False))
    if expected is None:
        assert found == []
    else:
        assert any(expected in f.what for f in found), found


def test_imports_point_down_and_cross_only_public_names():
    found = all_findings()
    assert not found, "\n" + "\n".join(str(f) for f in found)
