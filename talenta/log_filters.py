"""Logging filters named in the LOGGING setting."""

import logging
import threading
import time


class OncePerInterval(logging.Filter):
    """Let one record through per interval and drop the rest.

    A Redis outage makes every cache call fail; its first error is logged (with the traceback) and
    the repeats of the next minutes are not, so the log says when the outage began without
    flooding.
    """

    def __init__(self, seconds: float = 300):
        super().__init__()
        self.seconds = seconds
        self._last = float("-inf")
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        with self._lock:
            if now - self._last < self.seconds:
                return False
            self._last = now
        return True
