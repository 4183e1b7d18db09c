"""nhantin's log records in Python's :mod:`logging`.

The Rust library logs each send, attempt, answer, wait and outcome (already redacted: no key, no
message text, phone numbers masked). At import, nhantin hands Rust one :class:`Logger` that
passes every record to ``logging.getLogger("nhantin." + <module>)``, and tells Rust the level
below which it need not even build a record: the level the ``nhantin`` logger (or the most
verbose of its children) is effective at. A program that never configures logging is at
WARNING, so Rust drops INFO, DEBUG and TRACE records with one compare, and the few WARNING and
ERROR records (a failed send) go to a ``NullHandler`` instead of being printed by ``logging``'s
last-resort handler: as the logging HOWTO asks of libraries.

Python's ``logging`` has no hook for level changes, so after making nhantin's loggers more
verbose (``logging.basicConfig(level=DEBUG)``, ``dictConfig``, ``setLevel``) call
:func:`configure_logging` once, or pass it the level. Making them less verbose takes effect at
once either way (Python filters too), and re-syncing only saves work.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback

from ._uniffi.nhantin import Logger, LogLevel, LogRecord, NhantinError, set_logger

ROOT = "nhantin"
#: The level of TRACE records (below ``logging.DEBUG``; ``logging`` has no name for it).
TRACE = 5
LEVELS: dict[LogLevel, int] = {
    LogLevel.ERROR: logging.ERROR,
    LogLevel.WARN: logging.WARNING,
    LogLevel.INFO: logging.INFO,
    LogLevel.DEBUG: logging.DEBUG,
    LogLevel.TRACE: TRACE,
}
# The attribute of each logging.LogRecord that holds the Rust target (`nhantin_transport::client`).
TARGET_ATTRIBUTE = "nhantin_target"


def logger_name(target: str) -> str:
    """The Python logger of a Rust target: ``nhantin_transport::client`` is
    ``nhantin.transport.client``, ``nhantin::pool`` is ``nhantin.pool``, and a dependency's
    target (``reqwest::connect``) is ``nhantin.reqwest.connect``."""
    parts = [p for p in target.split("::") if p]
    if parts and parts[0] == ROOT:
        parts = parts[1:]
    elif parts and parts[0].startswith(ROOT + "_"):
        parts[0] = parts[0][len(ROOT) + 1:]
    return ".".join([ROOT, *parts])


class _Bridge(Logger):
    """The one Logger Rust calls, on whichever thread logged."""

    def __init__(self) -> None:
        self._loggers: dict[str, logging.Logger] = {}

    def log(self, record: LogRecord) -> None:
        try:
            level = LEVELS[record.level]
            logger = self._loggers.get(record.target)
            if logger is None:
                logger = self._loggers.setdefault(record.target, logging.getLogger(logger_name(record.target)))
            if logger.isEnabledFor(level):
                logger.log(level, record.message, extra={TARGET_ATTRIBUTE: record.target})
        except Exception:
            # A handler or filter that raises must not fail the send that logged (Rust would
            # drop the record anyway); report it as logging.Handler.handleError does.
            if logging.raiseExceptions:
                try:
                    sys.stderr.write("--- nhantin: logging error ---\n")
                    traceback.print_exc(file=sys.stderr)
                except Exception:
                    pass


_bridge = _Bridge()
_lock = threading.Lock()


def _threshold() -> int:
    """The lowest level any of nhantin's loggers would handle now."""
    root = logging.getLogger(ROOT)
    loggers = [root] + [
        logger for name, logger in root.manager.loggerDict.items()
        if name.startswith(ROOT + ".") and isinstance(logger, logging.Logger)
    ]
    level = min(logger.getEffectiveLevel() for logger in loggers)
    return max(level, root.manager.disable + 1) if root.manager.disable else level


def _rust_level(threshold: int) -> LogLevel | None:
    for rust, python in sorted(LEVELS.items(), key=lambda item: item[1]):
        if threshold <= python:
            return rust
    return None  # above ERROR (CRITICAL, or logging.disable): nhantin logs nothing there


def configure_logging(level: int | str | None = None) -> LogLevel | None:
    """Routes nhantin's log records to ``logging.getLogger("nhantin")`` at the level it is
    effective at now, after setting that logger's level to ``level`` when one is given
    (``logging.DEBUG``, ``"INFO"``, or ``nhantin.TRACE`` for everything).

    Each record goes to the child logger named after its Rust module (``nhantin.transport.client``;
    see :func:`logger_name`) with the Rust target in the record's ``nhantin_target`` attribute;
    levels map to ``ERROR``, ``WARNING``, ``INFO``, ``DEBUG`` and 5 (TRACE). Runs at import;
    call it again after changing logging's configuration to make nhantin more verbose. It also
    takes over again from a logger set with the generated ``set_logger``.

    Returns the Rust level now forwarded, or ``None`` when nothing is (above ``ERROR``). Raises
    ``NhantinError.InvalidInput`` (field ``logger``) when this process already has another Rust
    ``log`` logger (only a Rust program that links nhantin and set its own).
    """
    if level is not None:
        logging.getLogger(ROOT).setLevel(level)
    with _lock:
        wanted = _rust_level(_threshold())
        set_logger(_bridge if wanted is not None else None, wanted if wanted is not None else LogLevel.ERROR)
    return wanted


def install() -> None:
    """At import: the NullHandler, then the routing. Never fails the import."""
    logging.getLogger(ROOT).addHandler(logging.NullHandler())
    try:
        configure_logging()
    except NhantinError:
        pass  # another Rust logger owns the records; configure_logging() raises the reason
