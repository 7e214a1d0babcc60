"""SIGTERM and Ctrl-C during a long command: stop cleanly, say so on one line.

The signal is turned into an exception raised in the main thread, so every `with` block
on the way out does its job: the worker processes are ended, the open write transaction
is rolled back (what was committed is complete documents only), the store is closed.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Stopped(BaseException):
    """A stop signal arrived. A BaseException, like KeyboardInterrupt, so code that turns
    an Exception into a per-file error cannot swallow it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signal_name = signal.Signals(signum).name
        self.exit_code = 128 + signum


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGINT raise Stopped (once: a second signal gets
    the handler that was there before). Only the main thread can receive signals; in any
    other thread this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in _SIGNALS}

    def restore() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    def stop(signum: int, _frame: FrameType | None) -> None:
        restore()
        raise Stopped(signum)

    for signum in _SIGNALS:
        signal.signal(signum, stop)
    try:
        yield
    finally:
        restore()
