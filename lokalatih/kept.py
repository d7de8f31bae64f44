"""A small least-recently-used store per application and process, safe across threads.

The pages rendered once for many visitors (workshops/page_cache.py, quizzes/attempt_page.py)
are kept in one each. It lives in `app.extensions`, so two applications (tests) never share one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

from flask import current_app

Key = TypeVar("Key")
Value = TypeVar("Value")


class Kept(Generic[Key, Value]):
    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Key, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key) -> Value | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Key, value: Value) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def kept(name: str, size: int) -> Kept:
    """The application's store called `name`, made on first use."""
    store = current_app.extensions.get(name)
    if store is None:
        store = current_app.extensions.setdefault(name, Kept(size))
    return store
