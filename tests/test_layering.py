"""services/ and tables/ never import FastAPI or Starlette; api/ is the only HTTP layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "fakecampaign"
HTTP_PACKAGES = {"fastapi", "starlette", "uvicorn", "httpx"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


CORE = ("errors.py", "db.py", "clock.py", "bus.py", "registry.py", "query.py", "sandbox.py")
# In a resource folder, table.py and service.py are domain code; schemas.py and routes.py are HTTP.
RESOURCE_DOMAIN = ("table.py", "service.py")


def resource_domain_modules() -> list[Path]:
    folders = sorted(p for p in (PACKAGE / "resources").iterdir() if p.is_dir() and p.name != "__pycache__")
    return [folder / name for folder in folders for name in RESOURCE_DOMAIN if (folder / name).exists()]


def domain_modules() -> list[Path]:
    modules = [*sorted((PACKAGE / "services").glob("*.py")), *sorted((PACKAGE / "tables").glob("*.py"))]
    return [
        *modules,
        *resource_domain_modules(),
        PACKAGE / "resources" / "__init__.py",
        PACKAGE / "resources" / "catalog.py",
        *(PACKAGE / m for m in CORE),
    ]


@pytest.mark.parametrize("module", domain_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_domain_modules_do_not_import_http(module: Path) -> None:
    assert imported_roots(module) & HTTP_PACKAGES == set()


def test_services_do_not_import_api_or_schemas() -> None:
    for module in [*(PACKAGE / "services").glob("*.py"), *resource_domain_modules(), *(PACKAGE / m for m in CORE)]:
        source = module.read_text()
        assert "fakecampaign.api" not in source, module
        assert "fakecampaign.schemas" not in source, module
        assert not any(f".{http.removesuffix('.py')}" in source for http in ("schemas.py", "routes.py")), module


def test_resource_folders_hold_only_the_four_layers() -> None:
    allowed = {"__init__.py", "table.py", "service.py", "schemas.py", "routes.py"}
    for folder in (PACKAGE / "resources").iterdir():
        if folder.is_dir() and folder.name != "__pycache__":
            assert {p.name for p in folder.glob("*.py")} <= allowed, folder


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from fastapi import Request\nimport starlette.requests\n")
    assert imported_roots(bad) >= {"fastapi", "starlette"}


ENGINE = PACKAGE / "engine"


@pytest.mark.parametrize("module", sorted(ENGINE.glob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_engine_is_not_http_facing(module: Path) -> None:
    # The engine (automations, outbox, deliveries) sits below the API: no FastAPI, no request, no wire shapes.
    # Only its dispatcher speaks HTTP, as a client (httpx), to deliver webhooks.
    allowed = {"httpx"} if module.name == "delivery.py" else set()
    assert imported_roots(module) & HTTP_PACKAGES <= allowed
    source = module.read_text()
    assert "fakecampaign.api" not in source, module
    assert "fakecampaign.schemas" not in source, module


def test_services_do_not_import_the_engine() -> None:
    for module in [*(PACKAGE / "services").glob("*.py"), *resource_domain_modules()]:
        assert "fakecampaign.engine" not in module.read_text(), module


UI_FORBIDDEN = ("sqlalchemy", "sqlite3", "fakecampaign.tables", "fakecampaign.db")


def sql_in_ui(path: Path) -> set[str]:
    """What a UI module imports or calls that belongs to the tables layer: the UI reads through services."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    found = {name for name in names for bad in UI_FORBIDDEN if name == bad or name.startswith(bad + ".")}
    calls = {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    return found | (calls & {"execute", "transaction"})


@pytest.mark.parametrize("module", sorted((PACKAGE / "ui").glob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_ui_reads_through_services_never_sql(module: Path) -> None:
    assert sql_in_ui(module) == set()


def test_the_ui_check_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from fakecampaign.tables import CONTACTS\nimport sqlalchemy\nstore.db.transaction()\n")
    assert sql_in_ui(bad) == {"fakecampaign.tables", "sqlalchemy", "transaction"}
