"""Errors a user can fix. Each has a stable `code` (HTTP API, CLI exit) and a `hint`."""


class BriefError(Exception):
    """An error a user can fix. `code` is stable (used by the HTTP API and exit codes)."""

    code = "brief_error"

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class InputError(BriefError):
    code = "invalid_input"


class ConfigError(BriefError):
    """A model config or setting is wrong."""

    code = "invalid_config"


class WeightsError(BriefError):
    """Model weights are missing, partial or corrupt."""

    code = "weights_unavailable"


class BackendUnavailableError(BriefError):
    """A backend's Python package is not installed."""

    code = "backend_unavailable"
