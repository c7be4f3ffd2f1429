"""alertmanager.yml as Alertmanager 0.25 reads, checks and prints it (layer L1).

`load_file(path)` / `load(text)` return a frozen `Config` or raise `ConfigError` whose `str()` is
Alertmanager's own message; `marshal_yaml(config)` is the text `/api/v2/status` and
`amtool config show` print; `Coordinator` reloads a file and publishes it to subscribers.
"""

from amclone.config.config import Config, load, load_file, resolve_filepaths, template_files
from amclone.config.coordinator import Coordinator, config_hash
from amclone.config.errors import ConfigError
from amclone.config.globalconf import GlobalConfig
from amclone.config.marshal import marshal_yaml
from amclone.config.receivers import Receiver
from amclone.config.route import InhibitRule, Route
from amclone.config.timeintervals import NamedTimeInterval
from amclone.config.types import URL, HostPort, Regexp, Secret, SecretURL

__all__ = [
    "URL",
    "Config",
    "ConfigError",
    "Coordinator",
    "GlobalConfig",
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
    "marshal_yaml",
    "resolve_filepaths",
    "template_files",
]
