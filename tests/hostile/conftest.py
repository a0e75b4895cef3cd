"""Fixtures of the hostile corpus (helpers in hostile_helpers.py)."""

import pytest
from hostile_helpers import Misbehaving


@pytest.fixture
def serve():
    servers = []

    def start(behaviour):
        server = Misbehaving(behaviour)
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.close()
