"""Alembic scripts for the store's read models; run through `dealwire.services.store.db.migrate`."""
