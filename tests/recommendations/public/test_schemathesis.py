"""Schemathesis drives every operation of the public API from its own OpenAPI document
(/api/v1/schema/), through WSGI against the world of conftest.py: no answer is a server error,
and every answer (status, content type, body) matches the document. Examples are bounded so the
whole run takes seconds."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(world, settings):
    settings.ALLOWED_HOSTS = ["localhost"]  # the host schemathesis's WSGI client sends
    # As Django's test client does: a request's start and end must not close the test's
    # connection, which is inside the test's transaction (on PostgreSQL that ends its data).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        # Built here, after the test settings, so its middleware reads them.
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_operation_answers_as_the_schema_says(api_schema):
    # Schemathesis's own pytest plugin (lazy schemas from fixtures) does not run under this
    # pytest, so each operation's strategy is driven by Hypothesis here, in the test's database.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 6

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=25, deadline=None, suppress_health_check=list(HealthCheck)
        )
        def answers_as_documented(case):
            case.call_and_validate(checks=CHECKS)

        answers_as_documented()
