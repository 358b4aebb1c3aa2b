"""Sign-in through an identity provider (OIDC, Streamlit's st.login) when secrets.toml has [auth].

The [auth] section is read and validated here, so a half-written configuration is reported on the
sign-in screen instead of silently falling back to single-user local mode (which would make every
visitor an admin). Streamlit itself reads the same section for st.login and st.logout.
"""
from __future__ import annotations

from collections.abc import Mapping

import streamlit as st
from pydantic import BaseModel, Field, SecretStr, ValidationError

from analytics.errors import ClusterBoardError

_URL = r"^https?://\S+$"


class OidcConfigError(ClusterBoardError):
    """The [auth] section of .streamlit/secrets.toml is incomplete or wrong."""


class OidcProvider(BaseModel):
    client_id: str = Field(min_length=1)
    client_secret: SecretStr
    server_metadata_url: str = Field(pattern=_URL, description="the provider's /.well-known/openid-configuration")


class OidcConfig(BaseModel):
    redirect_uri: str = Field(pattern=r"^https?://\S+/oauth2callback$", description="this app's URL + /oauth2callback")
    cookie_secret: SecretStr = Field(min_length=16, description="a long random string signing the identity cookie")
    # None: the unnamed provider configured in [auth] itself; a name: an [auth.NAME] table.
    providers: dict[str | None, OidcProvider] = Field(min_length=1, description="at least one provider")


def _plain(value: object) -> object:
    """st.secrets hands out AttrDicts; pydantic and the checks below want plain dicts."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def config() -> OidcConfig | None:
    """The validated [auth] section; None when there is none (local accounts or local mode)."""
    try:
        section = st.secrets.get("auth")
    except FileNotFoundError:  # no secrets.toml at all
        return None
    if not section:
        return None
    section = _plain(section)
    providers = {name: value for name, value in section.items() if isinstance(value, dict)}
    if "client_id" in section:
        providers[None] = {k: section[k] for k in ("client_id", "client_secret", "server_metadata_url") if k in section}
    shared = {k: section[k] for k in ("redirect_uri", "cookie_secret") if k in section}
    try:
        return OidcConfig.model_validate(shared | {"providers": providers})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'] if p != 'providers')}: {e['msg']}" for e in exc.errors())
        raise OidcConfigError(f"[auth] in .streamlit/secrets.toml: {problems}") from None


def provider_label(name: str | None) -> str:
    return "Sign in with your organisation account" if name is None else f"Sign in with {name.replace('-', ' ').title()}"


def identity() -> str | None:
    """The signed-in person's e-mail (or user name), lower-cased; None when not signed in.

    An address the provider marks as unverified is not trusted: anyone could type it.
    """
    user = st.user
    if not user.get("is_logged_in"):
        return None
    if user.get("email_verified") is False:
        return None
    name = user.get("email") or user.get("preferred_username")
    return str(name).strip().lower() if name else None
