"""The one place that says which version amclone is, and which Alertmanager it mirrors."""

VERSION = "0.1.0"
# The Alertmanager release whose behaviour amclone reproduces; clients that look at version
# strings (amtool, Grafana) see this beside amclone's own.
COMPAT_VERSION = "0.25.0"
