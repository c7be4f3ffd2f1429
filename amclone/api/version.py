"""What amclone says about its own build, in Alertmanager's vocabulary (version.Print, the
versionInfo of /api/v2/status, alertmanager_build_info). The version is the Alertmanager release
amclone mirrors, so clients that gate on it (amtool, Grafana) treat amclone as that release; the
revision and branch say that it is amclone."""

from __future__ import annotations

import platform
from dataclasses import dataclass

from amclone._version import COMPAT_VERSION, VERSION


def _arch() -> str:
    m = platform.machine().lower()
    return {"x86_64": "amd64", "aarch64": "arm64", "i686": "386"}.get(m, m)


@dataclass(frozen=True)
class BuildInfo:
    version: str = COMPAT_VERSION
    revision: str = f"amclone-{VERSION}"
    branch: str = "amclone"
    build_user: str = "amclone"
    build_date: str = ""
    go_version: str = f"python{platform.python_version()}"
    goos: str = platform.system().lower()
    goarch: str = _arch()

    def print_text(self, program: str = "alertmanager") -> str:
        """version.Print: what `--version` writes."""
        return (
            f"{program}, version {self.version} (branch: {self.branch}, revision: {self.revision})\n"
            f"  build user:       {self.build_user}\n"
            f"  build date:       {self.build_date}\n"
            f"  go version:       {self.go_version}\n"
            f"  platform:         {self.goos}/{self.goarch}"
        )

    def info(self) -> str:
        """version.Info(), as the "Starting Alertmanager" log line shows it."""
        return f"(version={self.version}, branch={self.branch}, revision={self.revision})"

    def build_context(self) -> str:
        return (f"(go={self.go_version}, platform={self.goos}/{self.goarch}, user={self.build_user}, "
                f"date={self.build_date})")

    def status_json(self) -> dict[str, str]:
        """versionInfo of /api/v2/status (field order of the go-swagger model)."""
        return {
            "branch": self.branch,
            "buildDate": self.build_date,
            "buildUser": self.build_user,
            "goVersion": self.go_version,
            "revision": self.revision,
            "version": self.version,
        }


BUILD = BuildInfo()
