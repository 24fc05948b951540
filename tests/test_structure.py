"""The shape of the code base, checked from its source and its models.

- No import loop between the project's files (the standard library's ``ast`` over ``src/``; imports inside
  functions count too).
- The core never imports a module app (``kaifaqu.org``, ``kaifaqu.accounts``, ``kaifaqu.demo`` …): modules stand on
  the core, not the other way round.
- Rule 0: every model holding a zone's data has a ``zone_id`` column, first in every composite index that has it;
  the platform-wide models are listed below with the reason.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

SRC = Path(__file__).resolve().parent.parent / "src"
PROJECT = "kaifaqu"
CORE = "kaifaqu.core"

# Imports inside functions that break a loop on purpose: {(importer, imported): reason}. None needed today.
ALLOWED_LAZY_IMPORTS: dict = {}

# Core → module imports known to be on their way out: {(importer, imported)}. The goal is an empty set; an entry
# that no longer happens fails the test too, so the set cannot go stale.
CORE_TO_MODULE_AWAITING_MOVE: set = set()  # none: core imports no module

# Concrete models of our apps without a zone_id column, and why they hold no single zone's data.
PLATFORM_WIDE = {
    "org.Zone": "the tenant itself (its primary key is the zone; Zone.zone_id is a property)",
    "accounts.User": "an account: its zone is its organisation's, and platform administrators have none",
    "accounts.ApiToken": "a user's credential: follows the user",
    "accounts.TwoFactorDevice": "a user's credential: follows the user",
    "accounts.RecoveryCode": "a user's credential: follows the user",
    "accounts.SmsCode": "a user's credential: follows the user",
    "accounts.TwoFactorPolicy": "one row per role, set by the security administrator for the whole platform",
    "accounts.RoleDefinition": "one permission set per role, maintained by the security administrator for the platform",
    "core.NotificationPreference": "a user's own inbox settings: follow the user",
    "core.AuditChainHead": "the one head of the platform's single audit hash chain",
    "core.PublishedYear": "a year's official holiday schedule, published by the State Council for every zone",
}


# Import graph -------------------------------------------------------------------------------------------------------

def module_files(root=SRC):
    """{dotted module name: path} of every project file (a package is its __init__)."""
    found = {}
    for path in sorted((root / PROJECT).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_package(name, modules):
    return modules.get(name) is not None and modules[name].name == "__init__.py"


def _resolve(base, level, importer, modules):
    if not level:
        return base
    package = importer if _is_package(importer, modules) else importer.rpartition(".")[0]
    for _ in range(level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{base}" if base else package


def _known(name, modules):
    """The project file ``name`` is, or the nearest enclosing one (``import a.b.c`` of a missing c → a.b)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name, path, modules):
    """[(imported module, line, lazy)] for one file: ``from pkg import x`` is pkg/x.py when that file exists,
    else pkg/__init__.py; relative imports resolved; ``lazy`` when the import sits inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []

    def visit(node, lazy):
        for child in ast.iter_child_nodes(node):
            inner = lazy or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    target = _known(alias.name, modules) if alias.name.startswith(PROJECT) else None
                    if target:
                        found.append((target, child.lineno, lazy))
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(child.module or "", child.level, name, modules)
                if base.split(".")[0] == PROJECT:
                    for alias in child.names:
                        submodule = f"{base}.{alias.name}"
                        target = submodule if submodule in modules else _known(base, modules)
                        if target:
                            found.append((target, child.lineno, lazy))
            visit(child, inner)

    visit(tree, False)
    return [(target, line, lazy) for target, line, lazy in found if target != name]


def import_graph(root=SRC):
    modules = module_files(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def import_loops(graph, allowed=ALLOWED_LAZY_IMPORTS):
    """Strongly connected components of more than one file (Tarjan), each as a list of module names."""
    edges = {a: sorted({b for b, _line, lazy in targets if not (lazy and (a, b) in allowed) and b in graph})
             for a, targets in graph.items()}
    index, low, stack, on_stack, loops = {}, {}, [], set(), []

    def connect(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                loops.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            connect(v)
    return loops, edges


def loop_path(component, edges):
    """One concrete cycle through a component, for the failure message: a → b → … → a."""
    members = set(component)
    start = component[0]
    path, seen = [start], {start}
    while True:
        nxt = next(w for w in edges[path[-1]] if w in members)
        if nxt in seen:
            cycle = path[path.index(nxt):] + [nxt]
            return " → ".join(cycle)
        path.append(nxt)
        seen.add(nxt)


def module_apps():
    return sorted({app for app in settings.INSTALLED_APPS if app.startswith(f"{PROJECT}.") and app != CORE})


def core_imports_of_modules(graph, modules=None):
    modules = modules or module_apps()
    return sorted({(a, b) for a, targets in graph.items() if a == CORE or a.startswith(f"{CORE}.")
                   for b, _line, _lazy in targets if any(b == m or b.startswith(f"{m}.") for m in modules)})


def test_no_import_loop_between_project_files():
    graph = import_graph()
    assert len(graph) > 100, f"only {len(graph)} files found under {SRC}"
    loops, edges = import_loops(graph)
    assert not loops, "import loops:\n" + "\n".join(loop_path(c, edges) for c in loops)
    stale = {pair for pair in ALLOWED_LAZY_IMPORTS if pair[1] not in edges.get(pair[0], ())}
    assert not stale, f"allowed lazy imports that no longer happen: {stale}"


def test_core_does_not_import_module_apps():
    graph = import_graph()
    found = set(core_imports_of_modules(graph))
    unexpected = found - CORE_TO_MODULE_AWAITING_MOVE
    assert not unexpected, "core imports a module app:\n" + "\n".join(f"{a} → {b}" for a, b in sorted(unexpected))
    gone = CORE_TO_MODULE_AWAITING_MOVE - found
    assert not gone, f"no longer imported, remove from CORE_TO_MODULE_AWAITING_MOVE: {sorted(gone)}"


# The checker itself, on a small tree -------------------------------------------------------------------------------

@pytest.fixture
def tree(tmp_path):
    def make(files):
        for rel, text in files.items():
            path = tmp_path / PROJECT / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for directory in [p for p in (tmp_path / PROJECT).rglob("*") if p.is_dir()] + [tmp_path / PROJECT]:
            (directory / "__init__.py").touch()
        return import_graph(tmp_path)

    return make


def test_checker_finds_a_loop_through_from_imports_relative_imports_and_function_bodies(tree):
    graph = tree({
        "core/a.py": "from kaifaqu.core import b\n",  # b.py exists: the edge is to core/b.py
        "core/b.py": "from .c import thing\n",  # relative
        "core/c.py": "def f():\n    from kaifaqu.core.a import x\n",  # inside a function: counts
        "core/d.py": "from kaifaqu.core import e_name\n",  # no e_name.py: the edge is to core/__init__.py
    })
    assert ("kaifaqu.core.b", 1, False) in graph["kaifaqu.core.a"]
    assert ("kaifaqu.core.c", 1, False) in graph["kaifaqu.core.b"]
    assert ("kaifaqu.core.a", 2, True) in graph["kaifaqu.core.c"]
    assert graph["kaifaqu.core.d"] == [("kaifaqu.core", 1, False)]
    loops, edges = import_loops(graph)
    assert loops == [["kaifaqu.core.a", "kaifaqu.core.b", "kaifaqu.core.c"]]
    assert loop_path(loops[0], edges) == "kaifaqu.core.a → kaifaqu.core.b → kaifaqu.core.c → kaifaqu.core.a"
    # An allowed lazy import breaks it; an ordinary one cannot be allowed.
    assert import_loops(graph, allowed={("kaifaqu.core.c", "kaifaqu.core.a"): "test"})[0] == []
    assert import_loops(graph, allowed={("kaifaqu.core.a", "kaifaqu.core.b"): "test"})[0] != []


def test_checker_finds_core_importing_a_module(tree):
    graph = tree({
        "core/x.py": "import kaifaqu.org.models\nfrom kaifaqu.core import y\n",
        "core/y.py": "def f():\n    from ..accounts import roles\n",
        "org/models.py": "from kaifaqu.core import x\n",
        "accounts/roles.py": "",
    })
    assert core_imports_of_modules(graph, modules=["kaifaqu.org", "kaifaqu.accounts"]) == [
        ("kaifaqu.core.x", "kaifaqu.org.models"), ("kaifaqu.core.y", "kaifaqu.accounts.roles")]


# Rule 0 ------------------------------------------------------------------------------------------------------------

def our_models():
    return [m for m in apps.get_models() if m.__module__.startswith(f"{PROJECT}.")
            and not m._meta.abstract and not m._meta.proxy]


def composite_indexes(model):
    """[(name, [column attnames])] of the model's indexes and unique constraints on more than one column."""
    def attnames(fields):
        return [model._meta.get_field(f.lstrip("-")).attname for f in fields]

    found = [(index.name, attnames(index.fields)) for index in model._meta.indexes]
    found += [(c.name, attnames(c.fields)) for c in model._meta.constraints if getattr(c, "fields", None)]
    found += [("unique_together", attnames(f)) for f in model._meta.unique_together]
    return [(name, cols) for name, cols in found if len(cols) > 1]


def rule0_problems(models, platform_wide):
    problems = []
    for model in models:
        label = model._meta.label
        columns = {f.attname for f in model._meta.concrete_fields}
        if label in platform_wide:
            if "zone_id" in columns:
                problems.append(f"{label} has zone_id: remove it from PLATFORM_WIDE")
            continue
        if "zone_id" not in columns:
            problems.append(f"{label} has no zone_id column (or list it in PLATFORM_WIDE with the reason)")
            continue
        for name, cols in composite_indexes(model):
            if "zone_id" in cols and cols[0] != "zone_id":
                problems.append(f"{label} index {name} {cols}: zone_id must come first")
    return problems


def test_rule0_every_zone_model_has_zone_id_first_in_its_indexes():
    models = our_models()
    labels = {m._meta.label for m in models}
    assert {"org.Staff", "core.AuditEvent", "accounts.User"} <= labels
    assert not set(PLATFORM_WIDE) - labels, f"PLATFORM_WIDE names unknown models: {set(PLATFORM_WIDE) - labels}"
    problems = rule0_problems(models, PLATFORM_WIDE)
    assert not problems, "\n".join(problems)


def test_rule0_check_finds_a_missing_zone_and_a_late_zone_index():
    from kaifaqu.core.audit.models import AuditChainHead
    from kaifaqu.org.models import Staff

    problems = rule0_problems([AuditChainHead], {})
    assert problems == ["core.AuditChainHead has no zone_id column (or list it in PLATFORM_WIDE with the reason)"]
    original = Staff._meta.indexes
    Staff._meta.indexes = [models.Index(fields=["org", "zone"], name="late_zone")]
    try:
        assert rule0_problems([Staff], {}) == ["org.Staff index late_zone ['org_id', 'zone_id']: zone_id must come first"]
    finally:
        Staff._meta.indexes = original
    assert rule0_problems([Staff], {"org.Staff": "x"}) == ["org.Staff has zone_id: remove it from PLATFORM_WIDE"]
