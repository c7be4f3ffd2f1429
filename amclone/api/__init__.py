"""The HTTP surface (L5): Alertmanager 0.25's API v1 and v2, ``/-/*``, ``/metrics`` and the UI
files, with Go's routing answers and go-swagger's errors (`server`, `mux`, `swagger`, `v1`,
`v2`, `web`), the exporter-toolkit web config (`webconfig`), and the Prometheus query API
(`prometheus`, mounted beside them). `amclone.app` builds the `server.HttpServer`."""
