"""Background jobs of a serving process (issue 9: the scheduled retention purge).

``start_background_jobs(app)`` starts one daemon thread per process that wakes every
``CHECK_SECONDS`` (or the interval, when shorter) and runs the retention purge when
this worker claims the interval (``privacy.retention.run_scheduled_purge``: a row in
``store_setting`` holds the last run time, swapped atomically, so with several workers
only one purges per interval). ``TALENTBRIDGE_PURGE_INTERVAL_HOURS`` (default 24; 0
disables) sets the interval; a wrong ``TALENTBRIDGE_RETENTION`` stops the start-up with
its message. ``stop_background_jobs(app)`` ends the thread (tests, shutdown).
"""

from __future__ import annotations

import logging
import threading

from fastapi import FastAPI

from talentbridge.privacy.retention import purge_interval_hours, retention_days, run_scheduled_purge

log = logging.getLogger(__name__)
CHECK_SECONDS = 3600.0
FIRST_CHECK_SECONDS = 60.0  # let the server start first


def start_background_jobs(app: FastAPI) -> threading.Thread | None:
    """Start the purge schedule (none when the interval is 0); returns its thread."""
    settings = app.state.settings
    retention_days(settings)  # a wrong setting is an error now, not in a day
    hours = purge_interval_hours(settings)
    if hours <= 0:
        log.info("scheduled retention purge disabled (%s=0)", "TALENTBRIDGE_PURGE_INTERVAL_HOURS")
        return None
    stop = threading.Event()
    factory = app.state.sessionmaker
    every = min(CHECK_SECONDS, hours * 3600)

    def loop() -> None:
        wait = min(FIRST_CHECK_SECONDS, every)
        while not stop.wait(wait):
            wait = every
            try:
                run_scheduled_purge(factory, settings)
            except Exception:  # keep serving; the next tick tries again
                log.exception("scheduled retention purge failed")

    thread = threading.Thread(target=loop, name="talentbridge-retention", daemon=True)
    app.state.background_stop = stop
    app.state.background_thread = thread
    thread.start()
    return thread


def stop_background_jobs(app: FastAPI, timeout: float = 5.0) -> None:
    stop = getattr(app.state, "background_stop", None)
    thread = getattr(app.state, "background_thread", None)
    if stop is not None:
        stop.set()
    if thread is not None:
        thread.join(timeout)
