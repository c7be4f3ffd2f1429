"""Entry points (L6): `server` is `amclone` (Alertmanager's command line), `amctl` is amtool's;
`kingpin` parses command lines the way Go's kingpin does, for both."""
