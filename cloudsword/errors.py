"""Errors a user can act on. Each carries a message key and parameters, not a sentence, so the
UI says it in the user's language (see i18n.MESSAGES) and the CLI in English."""

from __future__ import annotations


class CloudSwordError(Exception):
    """Base class: `key` names a message in i18n, `params` fill it (file, name, ...)."""

    def __init__(self, key: str, **params: object):
        self.key, self.params = key, params
        super().__init__(f"{key}: " + ", ".join(f"{k}={v}" for k, v in params.items()))


class ConfigError(CloudSwordError):
    """The alliance config is wrong (unknown province, date outside the data's range...)."""


class DataError(CloudSwordError):
    """A data file is missing, unreadable or does not match the schema."""


class Message:
    """A sentence still to be said in the user's language: a message key and its parameters. A
    parameter of an error may be one (or a list of them), such as each problem found in a file,
    so the details are translated too (i18n.error_text)."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, **params: object):
        self.key, self.params = key, params

    def __repr__(self) -> str:
        return f"Message({self.key!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted((k, str(v)) for k, v in self.params.items()))))
