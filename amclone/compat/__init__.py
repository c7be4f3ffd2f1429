"""Go-compatible encodings: the exact text Go's standard library and Prometheus's `model` package
produce, so that amclone's output matches Alertmanager's byte for byte."""
