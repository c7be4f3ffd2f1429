"""amctl: an amtool 0.25-compatible command-line client for Alertmanager and amclone."""
