"""The notification log (Alertmanager 0.25 `nflog`). For now only its snapshot codec (`codec`):
the `nflog` file under --storage.path and the "nfl" gossip payload."""
