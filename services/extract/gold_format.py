"""Conversion of extracted events to the gold labels' (and scorer's) prediction format."""

from __future__ import annotations

from typing import Any

from dealwire.shared.schemas import DealPayload, Money, Royalties

GOLD_FIELDS = (
    "primary", "type", "parties", "assets", "modality", "targets", "indications", "upfront", "milestones",
    "royalties", "total_value", "equity", "territory", "regulator", "regulatory_action", "stage", "date",
)


def _money(value: Money | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"amount": value.amount, "currency": value.currency}


def _royalties(value: Royalties | None) -> dict[str, Any] | str | bool | None:
    if value is None:
        return None
    if value.cap is not None:
        return _money(value.cap)
    return "tiered" if value.tiered else True


def to_gold(payload: DealPayload) -> dict[str, Any]:
    """One event as the scorer reads it: plain strings for names, money as {amount, currency}."""
    territory = payload.territory
    return {
        "primary": payload.primary,
        "type": payload.type,
        "parties": [{"name": p.name, "role": p.role} for p in payload.parties],
        "assets": list(payload.assets),
        "modality": list(payload.modality),
        "targets": list(payload.targets),
        "indications": list(payload.indications),
        "upfront": _money(payload.upfront),
        "milestones": _money(payload.milestones),
        "royalties": _royalties(payload.royalties),
        "total_value": _money(payload.total_value),
        "equity": _money(payload.equity),
        "territory": {"include": list(territory.include), "exclude": list(territory.exclude)} if territory else None,
        "regulator": payload.regulator,
        "regulatory_action": payload.regulatory_action,
        "stage": payload.stage,
        "date": payload.date,
    }
