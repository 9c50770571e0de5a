"""Slack tokens at rest: slack_sdk's installation store, with every token sealed by the
same Fernet key as the Talkety secrets (TALKETY_SLACK_SECRET_KEY).

The wrapper seals on the way in and opens on the way out, so Bolt's OAuth flow and
authorisation never see the difference. Rows written before tokens were sealed are
sealed when the app starts. A token the key cannot open (the key changed) reads as no
installation: the workspace installs the app again, as it connects Talkety again.
"""

from __future__ import annotations

import copy
import logging
from typing import Any, TypeVar

from slack_bolt.error import BoltError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from sqlalchemy import select, update

from ..secret_box import SecretBox, SecretBoxError

_LOGGER = logging.getLogger(__name__)

TOKEN_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
# Every Slack token starts so (xoxb-, xoxp-, xoxe-...); a sealed one never does.
_PLAIN = "xox"

Stored = TypeVar("Stored", Bot, Installation)

ORG_WIDE_REFUSAL = (
    "Talkety is installed workspace by workspace, each with its own Talkety account: "
    "install it into a workspace of your organization rather than the whole organization."
)


class OrgWideInstallRefused(BoltError):
    """An Enterprise Grid org-wide install (is_enterprise_install), which this app refuses."""


class SealedInstallationStore(AsyncInstallationStore):
    def __init__(self, inner: AsyncSQLAlchemyInstallationStore, box: SecretBox) -> None:
        self.inner = inner
        self._box = box

    @property
    def logger(self) -> logging.Logger:
        return self.inner.logger

    async def create_tables(self) -> None:
        await self.inner.create_tables()  # type: ignore[no-untyped-call]
        await self._seal_plain_rows()

    async def async_save(self, installation: Installation) -> None:
        if installation.is_enterprise_install:
            # One Talkety account, policy and admin per workspace: an install for a whole
            # Grid org has no workspace to hang them on.
            raise OrgWideInstallRefused(ORG_WIDE_REFUSAL)
        await self.inner.async_save(self._sealed(installation))

    async def async_save_bot(self, bot: Bot) -> None:
        await self.inner.async_save_bot(self._sealed(bot))

    async def async_find_bot(self, **kwargs: Any) -> Bot | None:
        kwargs = await self._in_its_org(kwargs)
        return self._opened(await self.inner.async_find_bot(**kwargs))

    async def async_find_installation(self, **kwargs: Any) -> Installation | None:
        kwargs = await self._in_its_org(kwargs)
        return self._opened(await self.inner.async_find_installation(**kwargs))

    async def async_delete_bot(self, **kwargs: Any) -> None:
        await self.inner.async_delete_bot(**await self._in_its_org(kwargs))

    async def async_delete_installation(self, **kwargs: Any) -> None:
        await self.inner.async_delete_installation(**await self._in_its_org(kwargs))

    async def async_delete_all(self, **kwargs: Any) -> None:
        await self.inner.async_delete_all(**await self._in_its_org(kwargs))

    async def _in_its_org(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """A lookup by workspace alone (enterprise_id None), for a workspace of an
        Enterprise Grid org: slack_sdk matches enterprise_id exactly, so the workspace's
        own org is looked up first (a team id is unique across Slack)."""
        team_id = kwargs.get("team_id")
        if kwargs.get("enterprise_id") is not None or not team_id:
            return kwargs
        table = self.inner.installations
        async with self.inner.engine.connect() as conn:
            enterprise_id = await conn.scalar(
                select(table.c.enterprise_id)
                .where(table.c.team_id == team_id, table.c.enterprise_id.is_not(None))
                .limit(1)
            )
        return kwargs if enterprise_id is None else {**kwargs, "enterprise_id": enterprise_id}

    # --- sealing -----------------------------------------------------------

    def _sealed(self, stored: Stored) -> Stored:
        sealed = copy.copy(stored)
        for name in TOKEN_FIELDS:
            value = getattr(sealed, name, None)
            if value and value.startswith(_PLAIN):
                setattr(sealed, name, self._box.seal_text(value))
        return sealed

    def _opened(self, stored: Stored | None) -> Stored | None:
        if stored is None:
            return None
        opened = copy.copy(stored)
        try:
            for name in TOKEN_FIELDS:
                value = getattr(opened, name, None)
                if value and not value.startswith(_PLAIN):
                    setattr(opened, name, self._box.open_text(value))
        except SecretBoxError:
            _LOGGER.warning(
                "A Slack installation's tokens cannot be opened with this key: "
                "the workspace must install the app again"
            )
            return None
        return opened

    async def _seal_plain_rows(self) -> None:
        """Rows saved before tokens were sealed (or by slack_sdk directly), sealed now."""
        sealed = 0
        async with self.inner.engine.begin() as conn:
            for table in (self.inner.installations, self.inner.bots):
                columns = [table.c[name] for name in TOKEN_FIELDS if name in table.c]
                rows = await conn.execute(select(table.c.id, *columns))
                for row in rows.mappings().all():
                    changes = {
                        name: self._box.seal_text(value)
                        for name, value in row.items()
                        if name != "id" and isinstance(value, str) and value.startswith(_PLAIN)
                    }
                    if changes:
                        await conn.execute(
                            update(table).where(table.c.id == row["id"]).values(**changes)
                        )
                        sealed += 1
        if sealed:
            _LOGGER.info("Sealed the Slack tokens of %d stored installation rows", sealed)
