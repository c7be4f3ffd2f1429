"""`python -m amclone` runs the server, as the `amclone` console script does."""

from amclone.cli.server import main

if __name__ == "__main__":
    raise SystemExit(main())
