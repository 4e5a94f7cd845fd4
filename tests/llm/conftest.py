from __future__ import annotations

import pytest

from . import fake_server


@pytest.fixture
def fake():
    provider = fake_server.start()
    yield provider
    assert provider.server is not None
    provider.server.shutdown()
    provider.server.server_close()
