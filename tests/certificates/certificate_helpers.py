"""Helpers shared by the certificate tests."""

from __future__ import annotations

import threading

from lokalatih.extensions import db as _db

TIMEOUT = 120  # seconds for a whole burst


def at_once(app, count: int, work, pass_index: bool = False) -> list[tuple[str, object]]:
    """Run `work` in `count` threads released together, each in its own app context."""
    barrier = threading.Barrier(count, timeout=TIMEOUT)
    results: list[tuple[str, object]] = [("missing", None)] * count

    def run(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                results[index] = ("ok", work(index) if pass_index else work())
            except Exception as error:  # noqa: BLE001 (the test reports every failure)
                _db.session.rollback()
                results[index] = ("error", error)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return results
