"""Who this session is, decided once per rerun before any data is read (see cloudsword.access).

Three ways, chosen by the deployment:
- OIDC (Streamlit's `st.login` / `st.user`) when .streamlit/secrets.toml holds an [auth] section:
  the identity provider's e-mail (else subject) is looked up in the roles file;
- a trusted reverse-proxy header ($CLOUDSWORD_PROXY_HEADER, e.g. X-Remote-User, set by the
  bureau's single sign-on proxy), believed only from the proxy's addresses
  ($CLOUDSWORD_TRUSTED_PROXIES, default 127.0.0.1 and ::1);
- otherwise the local demo: no sign-in, the alliance administrator (or, to show a role on one's
  own machine, the roles file's $CLOUDSWORD_DEMO_USER: set by whoever starts the server, never
  by a visitor).
Each sign-in (and a role that moved since the user's last one) goes into the audit log; so does
every file taken away (`audited`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from cloudsword import dataset
from cloudsword.access import ADMIN, Principal, audit
from cloudsword.access.roles import principal_for, read_roles, roles_path
from cloudsword.errors import CloudSwordError
from cloudsword.i18n import error_text, join, md, t
from components.cache import data_dir, use_version

log = logging.getLogger("cloudsword")
_SIGNED = "_access_signed_in"  # (user, role scope) already written to the audit log this session
_KEY = "_access_principal"
_CONNECTION = "_access_connection"  # (origin, audit log path) of this session


def mode() -> str:
    """ "oidc", "proxy" or "demo"."""
    try:
        if "auth" in st.secrets:
            return "oidc"
    except (FileNotFoundError, OSError, CloudSwordError):
        pass
    except Exception:  # no secrets file at all: Streamlit raises its own error type
        pass
    return "proxy" if os.environ.get("CLOUDSWORD_PROXY_HEADER") else "demo"


def audit_path() -> Path:
    return audit.log_path(data_dir())


def _peer() -> str:
    """The address of this session's connection (Streamlit reports a loopback peer as None)."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) and ip else "127.0.0.1"


def origin() -> str:
    """Where the request came from: the proxy's forwarded address behind a trusted proxy, else
    the connection's."""
    ip = _peer()
    forwarded = st.context.headers.get("X-Forwarded-For", "")
    if isinstance(forwarded, str) and forwarded and ip in _trusted_proxies():
        return forwarded.split(",")[0].strip()
    return ip


def _trusted_proxies() -> set[str]:
    raw = os.environ.get("CLOUDSWORD_TRUSTED_PROXIES", "127.0.0.1,::1")
    return {p.strip() for p in raw.split(",") if p.strip()}


def _refuse(key: str, lang: str, sign_out: bool = False, **params: object) -> None:
    st.error(md(error_text(CloudSwordError(key, **params), lang)))
    if sign_out:
        st.button(t("access.sign_out", lang), on_click=st.logout, key="access_sign_out_refused")
    st.stop()


def _oidc(lang: str) -> tuple[str, str]:
    if not st.user.is_logged_in:
        st.title(t("app.title", lang))
        st.subheader(t("access.sign_in.title", lang))
        st.write(t("access.sign_in.body", lang))
        st.button(t("access.sign_in.button", lang), on_click=st.login, type="primary", key="access_sign_in")
        st.stop()
    return str(st.user.get("email") or st.user.get("sub") or ""), "oidc"


def _proxy(lang: str) -> tuple[str, str]:
    header = os.environ["CLOUDSWORD_PROXY_HEADER"]
    user = st.context.headers.get(header, "")
    if _peer() not in _trusted_proxies() or not isinstance(user, str) or not user:
        _refuse("access.proxy_untrusted", lang)
    return user, "proxy"


def principal(lang: str) -> Principal:
    """This session's principal (stops the page with a sign-in screen or a refusal when there is
    none). A roles file edited while the server runs takes effect at the user's next rerun."""
    how = mode()
    if how == "demo" and not os.environ.get("CLOUDSWORD_DEMO_USER"):
        st.session_state[_KEY] = ADMIN
        return ADMIN
    if how == "demo":
        user, method = os.environ["CLOUDSWORD_DEMO_USER"], "demo"
    else:
        user, method = _oidc(lang) if how == "oidc" else _proxy(lang)
    try:
        found = principal_for(user, read_roles(roles_path()))
    except CloudSwordError as err:
        st.error(md(error_text(err, lang)))
        st.stop()
    if found is None:
        _refuse("access.unknown_user", lang, sign_out=how == "oidc", user=user)
    signed = (found.user, found.scope())
    if st.session_state.get(_SIGNED) != signed:
        audit.sign_in(audit_path(), found, origin(), method)
        st.session_state[_SIGNED] = signed
    st.session_state[_KEY] = found
    return found


def current() -> Principal:
    """The principal `principal` decided this rerun (the demo's administrator before it ran)."""
    return st.session_state.get(_KEY, ADMIN)


def role_name(who: Principal, lang: str) -> str:
    return t(f"access.role.{who.role.value}", lang)


def badge(who: Principal, lang: str) -> None:
    """Who is signed in, their role and provinces, and how to sign out (in the sidebar)."""
    if who == ADMIN:
        st.caption(t("access.demo", lang))
        return
    st.caption(md(t("access.signed_in", lang, name=who.label(), role=role_name(who, lang))))
    if who.restricted:
        from cloudsword import geo

        names = geo.load_provinces().set_index("adcode")["name_zh" if lang == "zh" else "name_en"]
        shown = [str(names.get(p, p)) for p in sorted(who.provinces)]
        st.caption(t("access.provinces", lang, provinces=join(shown, lang)))
    if mode() == "oidc":
        st.button(t("access.sign_out", lang), on_click=_sign_out, key="access_sign_out")


def _sign_out() -> None:
    who = current()
    audit.append(audit_path(), who, "sign_out", origin())
    st.session_state.pop(_SIGNED, None)
    st.logout()


def _connection() -> tuple[str, Path]:
    """Where this session connects from and its audit log, read once per session (both are fixed
    for its connection): a page wraps dozens of file buttons, and reading the headers and the
    data directory for each took ~1.4 ms a button, 40-60 ms of a /map run."""
    if _CONNECTION not in st.session_state:
        st.session_state[_CONNECTION] = (origin(), audit_path())
    return st.session_state[_CONNECTION]


def audited(build: Callable[[], bytes], file_name: str, what: str = "") -> Callable[[], bytes]:
    """A download's builder that writes who took which file into the audit log when it runs (on
    the click). Who and from where are read now: the builder may run outside the script."""
    who, (where, path) = current(), _connection()

    def build_and_log() -> bytes:
        out = build()
        try:
            audit.append(path, who, "export", where, file=file_name, what=what or file_name)
        except OSError:
            log.exception("audit log not writable")
        return out

    return build_and_log


def switch_version(version: str | None = None) -> None:
    """Show `version` (default: the newest) in this session from the next rerun on, written in the
    audit log like every other version switch (the /data page's and the notice's button)."""
    version = version or dataset.current_id(data_dir())
    audit.append(audit_path(), current(), "version_switch", origin(), version=version, scope="session")
    use_version(version)
