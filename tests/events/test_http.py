"""HttpTransport against a local collector on 127.0.0.1 that fails on purpose.

Every request loop here is bounded (a fixed plan of answers, a few flushes,
0.3 s timeouts), and the server only listens on the loopback address.
"""

import gzip
import http.server
import json
import socket
import threading
import time
from pathlib import Path

import pytest
from event_helpers import counting_ids

from gestcore import HttpTransport, Tracker, TransportError, decode_batch


class Collector:
    """A threaded HTTP server answering POSTs from a plan: ok, 500, 503, slow, drop, 400."""

    def __init__(self, plan, port=0):
        self.plan = list(plan)
        self.accepted: list[bytes] = []
        self.attempts: list[bytes] = []
        self.headers: list[dict] = []
        collector = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                collector.headers.append(dict(self.headers))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                collector.attempts.append(body)
                what = collector.plan.pop(0) if collector.plan else "ok"
                if what == "slow":
                    time.sleep(0.6)  # longer than the client's timeout: it gives up
                    return
                if what == "drop":
                    self.close_connection = True
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                code = {"ok": 200, "500": 500, "503": 503, "400": 400}[what]
                if code == 200:
                    collector.accepted.append(body)
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/collect"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _euids(bodies):
    return [e.euid for b in bodies for e in decode_batch(b).pl]


def test_failures_lose_and_duplicate_nothing(config, clock):
    port = _free_port()
    transport = HttpTransport(
        f"http://127.0.0.1:{port}/collect",
        timeout=0.3,
        retries=1,
        backoff=0.0,
        sleep=lambda s: None,
    )
    tr = Tracker(config, transport=transport, clock=clock, ids=counting_ids(), backend="python")
    for i in range(23):
        tr.dynamic_var("i", i)
    # nobody listens yet: connection refused, everything stays queued
    refused = tr.flush()
    assert isinstance(refused.error, TransportError) and refused.pending == 23
    plan = ["500", "ok", "slow", "slow", "ok", "drop", "503", "ok", "500", "500", "ok", "ok"]
    collector = Collector(plan, port=port)
    try:
        for _ in range(10):
            if tr.flush().pending == 0:
                break
            clock.advance(1000)
        assert tr.pending() == 0
    finally:
        collector.close()
    assert _euids(collector.accepted) == [f"e-{i}" for i in range(23)]
    assert [len(decode_batch(b).pl) for b in collector.accepted] == [5, 5, 5, 5, 3]
    # every retry of a batch carried exactly the same events
    by_first = {}
    for body in collector.attempts:
        ids = tuple(e.euid for e in decode_batch(body).pl)
        by_first.setdefault(ids[0], set()).add(ids)
    assert all(len(v) == 1 for v in by_first.values())
    assert all(h["Content-Encoding"] == "gzip" for h in collector.headers)
    assert all(h["Content-Type"] == "application/json" for h in collector.headers)


def test_client_errors_are_not_retried(config, clock):
    collector = Collector(["400", "ok"])
    try:
        transport = HttpTransport(collector.url, timeout=1, retries=3, sleep=lambda s: None)
        tr = Tracker(config, transport=transport, clock=clock, backend="python")
        tr.app_start()
        failed = tr.flush()
        assert "400" in str(failed.error) and failed.pending == 1
        assert len(collector.attempts) == 1
        assert tr.flush().error is None and len(collector.accepted) == 1
    finally:
        collector.close()


def test_backoff_doubles(config):
    waits = []
    port = _free_port()
    transport = HttpTransport(
        f"http://127.0.0.1:{port}/", timeout=0.2, retries=3, backoff=0.25, sleep=waits.append
    )
    with pytest.raises(TransportError, match="POST"):
        transport(b"{}")
    assert waits == [0.25, 0.5, 1.0]


def test_bad_url_is_refused():
    with pytest.raises(ValueError, match="url"):
        HttpTransport("ftp://example")


def test_cli_replay_posts_the_example_to_a_collector(capsys):
    from gestcore.cli import main

    golden = (Path(__file__).parent / "data" / "example_batches.jsonl").read_bytes()
    collector = Collector(["500"])  # one failure: retried after the backoff
    try:
        assert main(["replay", "--example", "--seed", "0", "--url", collector.url]) == 0
    finally:
        collector.close()
    accepted = [json.loads(b) for b in collector.accepted]
    expected = [json.loads(line) for line in golden.splitlines()]
    assert accepted == expected
    assert "batches: 5 sent" in capsys.readouterr().out


def test_cli_replay_reports_undelivered_batches(capsys):
    from gestcore.cli import main

    url = f"http://127.0.0.1:{_free_port()}/"
    assert main(["replay", "--example", "--url", url, "--retries", "0"]) == 1
    assert "events could not be sent" in capsys.readouterr().err
