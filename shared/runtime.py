"""Process-wide settings of a service, applied once its modules are loaded."""

from __future__ import annotations

import gc

# The services allocate a few hundred short-lived objects per record (models, rows); with the default
# gen-0 threshold of 700 the collector runs every few records and re-traverses everything loaded at
# start-up (engine vocabularies, pydantic and SQLAlchemy structures). Measured: a third of the cost of
# validating a deal event was garbage collection.
GEN0_THRESHOLD = 50_000


def tune_garbage_collector() -> None:
    """Freeze what start-up loaded (never collected again) and collect young objects less often."""
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)
