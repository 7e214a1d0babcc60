"""Property-based API tests: schemathesis generates requests from the app's own OpenAPI
document and checks every answer against it (status codes, content types, schemas, no
server errors).

The operations are driven with Hypothesis directly: schemathesis's pytest plugin does not
run under pytest 9 (it reads a private attribute pytest removed).

One check is left out for six endpoints only: "schema-valid data is accepted".
- The two uploads: their bodies are files whose content (an empty or binary file, an
  unknown statistics layout) is judged by the same readers as the command line; OpenAPI
  cannot describe that, so random schema-valid bytes are rightly refused with 400, 413 or
  415.
- The series route, `GET /series/{source}`: which filters and periods a request may use
  depends on the source in its path, and which filter values are valid depends on the data
  imported (a region CBP publishes, a state WONDER covers). OpenAPI can describe neither, so
  a random but schema-valid region is rightly refused with 422 and the valid values; the
  other checks (status codes, content types, schemas, no server errors) still run.
- The claims and checks lists, `GET /claims` and `GET /checks`, for the same reason: the
  valid values of their filters (an agency, a measure, a corridor) are those the stored
  claims hold, so a random one is rightly refused with 422 and the valid values.
- The documents list, `GET /documents`, and the two above for one more: a valid `after`
  is a cursor a previous page gave, so a random string is rightly refused with 422."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from borderflow.web.app import create_app
from borderflow.web.config import WebConfig
from tests.web.conftest import BASE, SCRIPT, build_store


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('schemathesis')) / 'api.db'}"
    build_store(url).close()
    return schemathesis.openapi.from_asgi(
        "/api/v1/openapi.json", create_app(WebConfig(url)), headers={"Host": "127.0.0.1"}
    )


def _checker(operation: Any, excluded: list[Any]) -> Any:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=50, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case: schemathesis.Case) -> None:
        # A loopback Host, as the app's Host check wants; uploads come from a script.
        case.call_and_validate(base_url=BASE, headers=SCRIPT, excluded_checks=excluded)

    return check


def test_api_conforms_to_its_openapi_document(api_schema: Any) -> None:
    failures: list[str] = []
    tested = 0
    data_dependent = {
        "POST /api/v1/documents",
        "POST /api/v1/releases",
        "GET /api/v1/series/{source}",
        "GET /api/v1/claims",
        "GET /api/v1/checks",
        "GET /api/v1/documents",
    }
    for found in api_schema.get_all_operations():
        operation = found.ok()
        excluded = [positive_data_acceptance] if operation.label in data_dependent else []
        try:
            _checker(operation, excluded)()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {exc}")
        tested += 1
    assert tested >= 10
    assert not failures, "\n\n".join(failures)
