"""UUID version 7 (RFC 9562): time-ordered ids for exchange messages.

Layout of the 128 bits, most significant first::

    48 bits  Unix time in milliseconds
     4 bits  version, 0b0111
    12 bits  counter, high part      (rand_a in RFC 9562)
     2 bits  variant, 0b10
    30 bits  counter, low part       (first bits of rand_b)
    32 bits  random                  (rest of rand_b)

Monotonicity follows RFC 9562 section 6.2, method 1 (a fixed-length counter): the 42-bit
counter starts at a random value below 2**41 in each new millisecond and is incremented for
every further id in the same millisecond, so ids made by one process sort in the order they
were made — as ``uuid.UUID`` objects, as bytes and as their lower-case strings. If the clock
steps back, the last timestamp is kept (and the counter incremented) rather than going back;
if the counter would overflow, the timestamp is advanced by one millisecond. 32 bits of every
id stay random, so processes that share a millisecond still do not collide in practice; the
counter is re-seeded in a child process after ``fork()``.
"""

import datetime
import os
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable

_COUNTER_BITS = 42
_RANDOM_BITS = 32
_COUNTER_SEED_BITS = _COUNTER_BITS - 1  # room for at least 2**41 increments per millisecond
_MAX_TIMESTAMP = 2**48 - 1
_VERSION_7 = 0x7 << 76
_VARIANT_RFC = 0b10 << 62
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
UUID7_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


class UUID7Generator:
    """Makes monotonic UUIDv7s; thread-safe. ``clock`` returns Unix time in nanoseconds."""

    def __init__(
        self,
        clock: Callable[[], int] = time.time_ns,
        randbits: Callable[[int], int] = secrets.randbits,
    ):
        self._clock = clock
        self._randbits = randbits
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Forget the last timestamp and counter (after a fork, for instance)."""
        self._last_ms = -1
        self._counter = 0

    def __call__(self) -> uuid.UUID:
        with self._lock:
            now_ms = self._clock() // 1_000_000
            if now_ms > self._last_ms:
                self._last_ms = now_ms
                self._counter = self._randbits(_COUNTER_SEED_BITS)
            else:
                self._counter += 1
                if self._counter >> _COUNTER_BITS:
                    self._last_ms += 1
                    self._counter = self._randbits(_COUNTER_SEED_BITS)
            timestamp, counter = self._last_ms, self._counter
        if not 0 <= timestamp <= _MAX_TIMESTAMP:
            raise ValueError(f"the clock reads {timestamp} ms, outside UUIDv7's 48-bit range")
        value = (
            timestamp << 80
            | _VERSION_7
            | (counter >> 30) << 64
            | _VARIANT_RFC
            | (counter & (2**30 - 1)) << _RANDOM_BITS
            | self._randbits(_RANDOM_BITS)
        )
        return uuid.UUID(int=value)


_default = UUID7Generator()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_default.reset)


def uuid7() -> uuid.UUID:
    """A new UUIDv7, later in sort order than every one made before by this process."""
    return _default()


def uuid7_time(value: uuid.UUID | str) -> datetime.datetime:
    """The creation time (UTC, millisecond precision) held in a UUIDv7."""
    u = value if isinstance(value, uuid.UUID) else uuid.UUID(value)
    if u.version != 7 or u.variant != uuid.RFC_4122:
        raise ValueError(f"{u} is not a UUIDv7 (version {u.version})")
    return _EPOCH + datetime.timedelta(milliseconds=u.int >> 80)


def is_uuid7_text(text: str) -> bool:
    """Whether ``text`` is a UUIDv7 in its canonical lower-case, hyphenated form."""
    return isinstance(text, str) and UUID7_TEXT.fullmatch(text) is not None
