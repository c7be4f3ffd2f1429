"""amclone: a drop-in replacement for Prometheus Alertmanager, written in Python.

Layers, lowest first (a module imports only from its own layer or lower ones):

    L0  compat, timeutil, labels          Go-compatible encodings, clocks, label sets, matchers
    L1  config, timeinterval, template    configuration, time intervals, Go templates
    L2  alerts, silence, inhibit, nflog   state holders, each behind small Protocols
    L3  dispatch, notify                  route tree, aggregation groups, notification pipeline
    L3' ingest, tsdb, promql, rules       metrics ingestion and rule evaluation
    L5  api                               HTTP surface (Alertmanager API v1/v2, Prometheus API)
    L6  app, cli                          the composition root and the entry points
"""

from amclone._version import VERSION as __version__

__all__ = ["__version__"]
