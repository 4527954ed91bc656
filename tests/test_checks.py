"""Timed check steps and the reachability helpers every connector's check uses."""

from __future__ import annotations

import socket
import tempfile
import time
from pathlib import Path

import pytest

from connectors.checks import CheckSteps, StepFailed, first_reachable, open_tcp, open_unix
from connectors.redact import MASK, Redactor


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def listening():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def test_a_failed_step_is_recorded_with_its_reason_and_stops_the_check():
    steps = CheckSteps(5, Redactor(["hunter2-secret"]))
    ran = []
    with steps:
        steps.run("first", lambda: ran.append(1))
        steps.run("second", lambda: (_ for _ in ()).throw(StepFailed("bad login hunter2-secret")))
        steps.run("third", lambda: ran.append(3))
    result = steps.result()
    assert ran == [1]
    assert [(s.name, s.ok) for s in result.steps] == [("first", True), ("second", False)]
    assert result.ok is False
    assert result.failed_step.detail == f"bad login {MASK}"


def test_a_step_after_the_deadline_does_not_start():
    steps = CheckSteps(0.01)
    time.sleep(0.02)
    with steps:
        steps.run("late", lambda: pytest.fail("must not run"))
    assert steps.result().steps[0].detail.startswith("not started: the 0.01 s timeout passed")


def test_open_tcp_tells_refused_from_reached(listening):
    assert open_tcp("127.0.0.1", listening, 1) == f"127.0.0.1:{listening}"
    port = _closed_port()
    with pytest.raises(StepFailed, match=f"connection refused by 127.0.0.1:{port}"):
        open_tcp("127.0.0.1", port, 1)


def test_first_reachable_tries_in_order_and_lists_every_reason(listening):
    closed = _closed_port()
    targets = [("127.0.0.1", closed), ("127.0.0.1", listening)]
    assert first_reachable(targets, lambda: 1.0, 5432) == ("127.0.0.1", listening)
    with pytest.raises(StepFailed) as info:
        first_reachable([("127.0.0.1", closed), ("/nonexistent/x.sock", None)], lambda: 1.0, 1)
    assert f"127.0.0.1:{closed}" in str(info.value)
    assert "no socket at /nonexistent/x.sock" in str(info.value)


def test_open_unix_reaches_a_listening_socket():
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "s.sock")
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(path)
            server.listen()
            assert open_unix(path, 1) == path
            assert first_reachable([(path, None)], lambda: 1.0, 27017) == (path, None)
