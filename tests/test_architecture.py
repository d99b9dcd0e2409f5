"""The domains under app/ form a one-way graph: each imports only from layers below its own.

Every import counts, at module top and inside functions, relative ones resolved, so an upward
dependency cannot hide in a function body. Upward talk goes through app/core/signals.py.
"""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"

# The one place the layering is written down, lowest first. Domains in one tuple are peers:
# they may not import each other. "app" is the assembly (app/__init__.py, app/models.py).
LAYERS = (
    ("config",),
    ("extensions",),
    ("i18n",),
    ("core",),
    ("accounts",),
    ("bodies",),
    ("documents",),
    # Content domains ask moderation whether something is hidden, so moderation sits below them.
    ("moderation",),
    ("amendments", "translations", "coedit", "discussion"),
    ("audit", "exports", "balance", "search"),
    ("mail",),
    ("notifications",),
    ("activity",),
    ("main", "api", "security"),
    ("app",),
)
RANK = {domain: rank for rank, peers in enumerate(LAYERS) for domain in peers}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _domain(module: str) -> str | None:
    """The domain a dotted module name belongs to; None outside the app package."""
    parts = module.split(".")
    if parts[0] != "app":
        return None
    if len(parts) == 1 or parts[1] == "models":
        return "app"
    return parts[1]


def _imported_modules(path: Path):
    """(line, dotted module) for every import in the file, wherever it stands."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "app":
                # `from app import bodies` names a domain; `from app import create_app` the assembly.
                for alias in node.names:
                    yield node.lineno, f"app.{alias.name}" if (APP / alias.name).exists() else "app"
            else:
                yield node.lineno, target


def _violations():
    found = []
    for path in sorted(APP.rglob("*.py")):
        source = _domain(_module_name(path))
        where = path.relative_to(APP.parent)
        if source not in RANK:
            found.append(f"{where}: domain {source!r} has no place in LAYERS")
            continue
        for line, target in _imported_modules(path):
            domain = _domain(target)
            if domain is None or domain == source:
                continue
            if domain not in RANK:
                found.append(f"{where}:{line}: {target} is in no layer of LAYERS")
            elif RANK[domain] >= RANK[source]:
                kind = "a peer" if RANK[domain] == RANK[source] else "a higher layer"
                found.append(f"{where}:{line}: {source} imports {target} ({kind})")
    return found


def test_layers_name_each_domain_once():
    names = [domain for peers in LAYERS for domain in peers]
    assert len(names) == len(set(names))


def test_domains_import_only_from_lower_layers():
    violations = _violations()
    assert not violations, "imports against LAYERS:\n" + "\n".join(violations)


def test_the_check_sees_an_upward_import_inside_a_function(tmp_path, monkeypatch):
    """The check itself works: an import hidden in a function body is found and placed."""
    package = tmp_path / "app" / "core"
    package.mkdir(parents=True)
    (package / "x.py").write_text("def f():\n    from ..accounts import models\n")
    monkeypatch.setattr(f"{__name__}.APP", tmp_path / "app")
    assert _violations() == ["app/core/x.py:2: core imports app.accounts (a higher layer)"]
