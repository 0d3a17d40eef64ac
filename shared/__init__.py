"""Contracts shared by every dealwire service: schemas, topics, settings, ids, logging."""
