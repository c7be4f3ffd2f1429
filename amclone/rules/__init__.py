"""Prometheus alerting and recording rules: loading and checking (``rulefmt``, ``files``,
``config``, ``unittest_format``); the evaluator comes with the PromQL and template engines.
"""
