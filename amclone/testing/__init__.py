"""Helpers for amclone's own tests and for users testing their set-ups: free ports, managed
processes (the real Alertmanager or amclone) and waiting for them to come up."""
