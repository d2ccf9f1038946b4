"""The roles file: which user holds which role and, for a provincial officer, which provinces.

TOML, one table per user, keyed by what the sign-in gives (the identity provider's e-mail, or the
single sign-on proxy's user header):

    [users."officer.zj@gov.example"]
    role = "officer"          # admin | officer | analyst | presenter
    provinces = ["330000"]    # adcodes: an officer's provinces
    name = "浙江省公安厅 · 王警官"

A user the file does not name is refused (no default role). Where it lives: $CLOUDSWORD_ROLES,
else data/roles.toml beside the app.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from cloudsword import geo
from cloudsword.access.principal import Principal, Role
from cloudsword.errors import ConfigError

DEFAULT_ROLES = Path(__file__).resolve().parents[2] / "data" / "roles.toml"


def roles_path() -> Path:
    return Path(os.environ.get("CLOUDSWORD_ROLES") or DEFAULT_ROLES)


def read_roles(path: Path | str | None = None) -> dict[str, Principal]:
    """Every user of the roles file, checked: a known role, provinces that exist, an officer with
    at least one province. Raises ConfigError naming the file's problem."""
    path = Path(path or roles_path())
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("access.roles_missing", file=path.name) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("access.roles_invalid", file=path.name, detail=str(exc)[:120]) from None
    known = set(geo.load_provinces().adcode.astype(str))
    users: dict[str, Principal] = {}
    for user, entry in (raw.get("users") or {}).items():
        role = str(entry.get("role", ""))
        if role not in {r.value for r in Role}:
            raise ConfigError("access.roles_role", file=path.name, user=user, role=role)
        provinces = frozenset(str(p) for p in entry.get("provinces", ()))
        if unknown := sorted(provinces - known):
            raise ConfigError("access.roles_province", file=path.name, user=user, province=unknown[0])
        if role == Role.OFFICER and not provinces:
            raise ConfigError("access.roles_no_province", file=path.name, user=user)
        users[user.strip().lower()] = Principal(user, Role(role), provinces, str(entry.get("name", "")))
    return users


def principal_for(user: str, roles: dict[str, Principal]) -> Principal | None:
    """The principal a signed-in user is, or None when the roles file does not name them."""
    return roles.get(str(user or "").strip().lower())
