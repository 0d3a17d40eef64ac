"""Alembic scripts for the store's read models; run through `services.store.db.migrate`."""
