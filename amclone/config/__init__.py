"""alertmanager.yml as Alertmanager 0.25 reads, checks and prints it (layer L1).

`load_file(path)` / `load(text)` return a frozen `Config` or raise `ConfigError` whose `str()` is
Alertmanager's own message (amtool's first error line) with `.file` and `.line` where known;
`marshal_yaml(config)` is the text `/api/v2/status` and `amtool config show` print;
`marshal_json(config)` is `/api/v1/status` `configJSON` (Go's encoding/json of the config);
`Coordinator` reloads a file, publishes it to subscribers and keeps the reload metrics.

Reading the values:
- attributes are the YAML keys, except Python keywords: `Route.continue_`, `EmailConfig.from_`,
  `PagerdutyConfig.class_`, `Config.global_` (always set after loading);
- secrets are `Secret` (`str()` is ``<secret>``; `.reveal()` gives the text) and `SecretURL`
  (`.reveal()`; `url` is None when the file itself said ``<secret>``); URLs are `URL` (`str()`
  re-assembles them as Go does); durations are int nanoseconds, None when a route leaves them
  unset (inheritance belongs to the dispatcher);
- every integration's `http_config` is the global one (the same object) unless it has its own;
- `Config.extended` / `load(..., extended=True)` selects the schema of newer releases (msteams,
  jira, `*_file` variants...); the default is 0.25's, which rejects those keys as 0.25 does.
- `GoPanic` (a `ConfigError`) marks inputs on which 0.25 itself crashes (null list items).
"""

from amclone.config.config import Config, load, load_file, resolve_filepaths, template_files
from amclone.config.coordinator import Coordinator, config_hash
from amclone.config.errors import ConfigError, GoPanic
from amclone.config.globalconf import GlobalConfig
from amclone.config.marshal import marshal_yaml
from amclone.config.marshal_json import ConfigJSON, marshal_json
from amclone.config.receivers import Receiver
from amclone.config.route import InhibitRule, Route
from amclone.config.timeintervals import NamedTimeInterval
from amclone.config.types import URL, HostPort, Regexp, Secret, SecretURL

__all__ = [
    "URL",
    "Config",
    "ConfigError",
    "ConfigJSON",
    "Coordinator",
    "GlobalConfig",
    "GoPanic",
    "HostPort",
    "InhibitRule",
    "NamedTimeInterval",
    "Receiver",
    "Regexp",
    "Route",
    "Secret",
    "SecretURL",
    "config_hash",
    "load",
    "load_file",
    "marshal_json",
    "marshal_yaml",
    "resolve_filepaths",
    "template_files",
]
