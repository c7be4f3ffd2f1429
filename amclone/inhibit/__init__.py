"""Inhibition (L2): `Inhibitor(rules, store, marker, clock)` is a `Muter` fed from the alert store."""

from amclone.inhibit.inhibitor import Inhibitor, InhibitRule

__all__ = ["InhibitRule", "Inhibitor"]
