# SPDX-License-Identifier: GPL-3.0-or-later
"""Waiting in tests: poll a predicate until it holds, with a deadline."""

import time


def poll_until(predicate, timeout, interval=0.1):
    """Calls predicate every interval seconds until it returns something
    true or timeout seconds have passed; returns its last value (false on a
    time-out). For callers that look at the outcome themselves."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        left = deadline - time.monotonic()
        if result or left <= 0:
            return result
        time.sleep(min(interval, left))


def wait_until(predicate, timeout, what, interval=0.1):
    """Returns predicate's first true value; raises AssertionError naming
    what it waited for once timeout seconds have passed."""
    result = poll_until(predicate, timeout, interval)
    if not result:
        raise AssertionError(f"timed out after {timeout} s waiting for {what}")
    return result


def stays_false(predicate, seconds, interval=0.1):
    """For what must NOT happen: True when predicate stayed false for
    seconds (watched every interval)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return False
        time.sleep(interval)
    return True
