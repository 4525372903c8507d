"""Every endpoint of the web app, found by walking its routes (so a new one cannot be forgotten): each
refuses an anonymous request (401 for the API, the login page for a page) and every role without its
permission (403), and lets the roles with it through. Then schemathesis generates requests from the
OpenAPI spec, with an admin's token, over a database with a digitised document in it: no answer is a 500."""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings

from pipeline.accounts.users import ROLES, add_user, new_token
from pipeline.config import Settings
from tests import test_web_documents
from web.app import create_app
from web.auth import PERMISSIONS

# /static/ holds the stylesheet the login page needs and refresh.js: the program's own files, no data.
OPEN = {("/healthz", "GET"), ("/login", "GET"), ("/login", "POST"), ("/logout", "POST"), ("/static/{name}", "GET")}
SAMPLE = {"doc_id": "nope", "page_no": "1", "intake_id": "1", "action": "retry", "fmt": "csv", "name": "refresh.js"}
QUERY = {"period": "2026-Q3", "indicator": "so_hoa_ho_so"}  # required query parameters of some pages
PASSWORD = "mật-khẩu-mọi-vai-trò"

digitised = test_web_documents.digitised


def permission_of(route: APIRoute) -> str | None:
    """The permission its `require(...)` dependency checks, found anywhere in its dependency tree."""
    todo = list(route.dependant.dependencies)
    while todo:
        dep = todo.pop()
        found = getattr(dep.call, "permission", None)
        if found:
            return str(found)
        todo.extend(dep.dependencies)
    return None


def routes(app: FastAPI) -> list[tuple[str, str, str | None]]:
    """Every (path, method, permission), in the app and in the routers it includes (FastAPI ≥ 0.16x keeps an
    included router as one entry holding the original; older versions copy its routes in)."""
    out = []
    todo = list(app.routes)
    while todo:
        r = todo.pop(0)
        inner = getattr(r, "original_router", None)
        if inner is not None:
            todo.extend(inner.routes)
        elif isinstance(r, APIRoute):
            for method in sorted(r.methods - {"HEAD"}):
                out.append((r.path, method, permission_of(r)))
    return out


def concrete(path: str) -> str:
    for k, v in SAMPLE.items():
        path = path.replace("{" + k + "}", v)
    assert "{" not in path, path
    return path


def test_every_endpoint_refuses_the_anonymous_and_the_roles_without_the_right(settings: Settings) -> None:
    from pipeline.keep import db

    db.migrate(settings.db_url)
    app = create_app(settings)
    found = routes(app)
    assert len(found) > 30
    unguarded = [(p, m) for p, m, perm in found if perm is None and (p, m) not in OPEN]
    assert unguarded == [], f"endpoints without a permission: {unguarded}"
    tokens = {}
    for role in ROLES:
        add_user(settings.db_url, f"u-{role}", role, PASSWORD)
        tokens[role] = {"Authorization": f"Bearer {new_token(settings.db_url, f'u-{role}')}"}
    client = TestClient(app, raise_server_exceptions=False)
    checked = 0
    for path, method, perm in found:
        if perm is None:
            continue
        url = concrete(path)
        call: dict[str, Any] = {"params": QUERY, "follow_redirects": False}
        if method == "POST":
            call["json"] = {}
        anon = client.request(method, url, **call)
        if url.startswith(("/api/", "/metrics", "/openapi.json")):
            assert anon.status_code == 401, (method, url, anon.status_code)
        else:
            assert anon.status_code == 303 and anon.headers["location"].startswith("/login"), (method, url)
        for role in ROLES:
            got = client.request(method, url, headers=tokens[role], **call)
            if role in PERMISSIONS[perm]:
                assert got.status_code not in (401, 403, 500), (method, url, role, got.status_code, got.text[:300])
            else:
                assert got.status_code == 403, (method, url, role, got.status_code)
            checked += 1
    assert checked >= 30 * len(ROLES)


def test_no_request_the_spec_allows_is_answered_with_a_500(digitised: tuple[Settings, list[Any]]) -> None:
    """schemathesis's strategies per operation of /openapi.json, run by hypothesis here (its pytest plugin
    lags behind pytest); every request goes through the app in this process."""
    settings, _ = digitised
    add_user(settings.db_url, "quantri", "admin", PASSWORD)
    auth = {"Authorization": f"Bearer {new_token(settings.db_url, 'quantri')}"}
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(settings), headers=auth)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    failures: list[str] = []
    for operation in operations:

        @hsettings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck),
                   database=None)
        @given(case=operation.as_strategy())
        def run(case: schemathesis.Case) -> None:
            response = case.call(headers=auth)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query}: {response.status_code} "
                                f"{response.text[:300]}")

        run()
    assert failures == []


EDGES: dict[str, list[Any]] = {
    # What a random search finds only sometimes (CI once did: offset=2**63 overflowed SQLite's INTEGER),
    # tried on every parameter every time.
    "integer": [-1, 0, 2**31, 2**63, 10**30],
    "date": ["0001-01-01", "9999-12-31"],
    "string": ["", "%", "'\"; --", "ư" * 2000, "\x00"],
}


def edge_values(schema: dict[str, Any]) -> list[Any]:
    kinds = {schema.get("type"), schema.get("format")} | {a.get("type") for a in schema.get("anyOf", [])} \
        | {a.get("format") for a in schema.get("anyOf", [])}
    if "date" in kinds:
        return EDGES["date"]
    if "integer" in kinds:
        return EDGES["integer"]
    if "string" in kinds and not schema.get("enum"):
        return EDGES["string"]
    return []


def test_edge_values_of_every_parameter_are_never_a_500(digitised: tuple[Settings, list[Any]]) -> None:
    """Each query and path parameter of every operation, one at a time, at the edges of its type."""
    settings, _ = digitised
    add_user(settings.db_url, "quantri", "admin", PASSWORD)
    auth = {"Authorization": f"Bearer {new_token(settings.db_url, 'quantri')}"}
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    failures: list[str] = []
    tried = 0
    for path, ops in client.get("/openapi.json", headers=auth).json()["paths"].items():
        for method, op in ops.items():
            for param in op.get("parameters", []):
                for value in edge_values(param.get("schema", {})):
                    url, params = concrete(path), dict(QUERY)
                    if param["in"] == "path":
                        if value in ("", "\x00"):
                            continue  # no such URL to ask for
                        url = concrete(path.replace("{" + param["name"] + "}", str(value)))
                    elif param["in"] == "query":
                        params[param["name"]] = value
                    else:
                        continue
                    got = client.request(method.upper(), url, params=params, headers=auth,
                                         **({"json": {}} if method == "post" else {}))
                    tried += 1
                    if got.status_code >= 500:
                        failures.append(f"{method.upper()} {url[:60]} {param['name']}={str(value)[:20]!r}: "
                                        f"{got.status_code}")
    assert tried > 50
    assert failures == [], "\n".join(failures)
