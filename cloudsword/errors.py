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
