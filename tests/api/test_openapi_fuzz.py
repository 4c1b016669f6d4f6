"""The API tested from outside, from nothing but its own OpenAPI document: schemathesis generates requests
for every operation (valid and invalid parameters, odd cursors, unknown values) and checks each answer: no
5xx, a documented status code and content type, a body that matches the documented schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from groups.filters import MAX_POPULATION
from localism.wsgi import application

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema(world, settings):
    settings.API_RATE_LIMIT = "100000/minute"  # the generator sends thousands of requests from one address
    # The WSGI application runs in this test's database transaction: as Django's own test client does, keep
    # the end of each request from closing that connection (on PostgreSQL it would, and roll everything back).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_keeps_its_documented_promises(case):
    response = case.call()
    if _contradictory_range(case.query or {}):
        # A rule the document cannot state: a range whose lowest is above its highest is refused, saying so.
        assert response.status_code == 400, response.text
        assert {"deprivation_max", "population_max"} & set(response.json()["errors"])
        return
    case.validate_response(response)


RANGES = {("deprivation_min", "deprivation_max"): (1, 10), ("population_min", "population_max"): (0, MAX_POPULATION)}


def _contradictory_range(query):
    """Both ends of a range are valid on their own, and the lowest is above the highest."""

    def number(name, bounds):
        try:
            value = int(query.get(name, ""))
        except (TypeError, ValueError):
            return None
        return value if bounds[0] <= value <= bounds[1] else None

    for (low, high), bounds in RANGES.items():
        lowest, highest = number(low, bounds), number(high, bounds)
        if lowest is not None and highest is not None and lowest > highest:
            return True
    return False
