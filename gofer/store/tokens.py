"""API tokens: random secrets handed out once; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from gofer.errors import Conflict, NotFound
from gofer.models import RunKey
from gofer.store.events import emit
from gofer.store.tables import TokenRow
from gofer_sdk.models import TokenKind, TokenPublic, TokenSecret

PREFIX = "gofer_"


class TokenStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def bootstrap(self) -> TokenSecret:
        """The first admin token; refused once any token exists."""
        with Session(self._engine) as session, session.begin():
            if session.scalar(select(func.count()).select_from(TokenRow)):
                raise Conflict("Gofer is already bootstrapped: ask an admin for a token")
            return self._create(session, TokenKind.ADMIN, description="bootstrap admin token")

    def create(
        self,
        kind: TokenKind,
        *,
        namespaces: list[str] | None = None,
        pipeline: str | None = None,
        run_id: int | None = None,
        description: str = "",
        expires_in: int | None = None,
    ) -> TokenSecret:
        with Session(self._engine) as session, session.begin():
            return self._create(
                session,
                kind,
                namespaces=namespaces,
                pipeline=pipeline,
                run_id=run_id,
                description=description,
                expires_in=expires_in,
            )

    def ensure_run_token(self, secret: str, run: RunKey, description: str) -> TokenPublic:
        """The run token with this (derived) secret, created on first call: idempotent for retries."""
        with Session(self._engine) as session, session.begin():
            row = session.scalars(select(TokenRow).where(TokenRow.digest == _digest(secret))).first()
            if row is not None:
                return _public(row)
            return self._create(
                session,
                TokenKind.RUN,
                secret=secret,
                namespaces=[run.namespace],
                pipeline=run.pipeline,
                run_id=run.run_id,
                description=description,
            ).details

    def delete_run_tokens(self, run: RunKey) -> None:
        """A run's tokens die with it."""
        with Session(self._engine) as session, session.begin():
            rows = session.scalars(
                select(TokenRow).where(
                    TokenRow.kind == TokenKind.RUN,
                    TokenRow.pipeline_id == run.pipeline,
                    TokenRow.run_id == run.run_id,
                )
            ).all()
            for row in rows:
                if row.namespaces == [run.namespace]:
                    session.delete(row)
                    emit(session, "token_deleted", token=row.id)

    def authenticate(self, token: str) -> TokenPublic | None:
        """The token's details if it is valid now (known, enabled, not expired)."""
        with Session(self._engine) as session:
            row = session.scalars(select(TokenRow).where(TokenRow.digest == _digest(token))).first()
            if row is None or row.disabled or (row.expires and row.expires <= datetime.now(UTC)):
                return None
            return _public(row)

    def all(self) -> list[TokenPublic]:
        with Session(self._engine) as session:
            return [_public(row) for row in session.scalars(select(TokenRow).order_by(TokenRow.created))]

    def get(self, token_id: str) -> TokenPublic:
        with Session(self._engine) as session:
            return _public(_row(session, token_id))

    def set_disabled(self, token_id: str, disabled: bool) -> TokenPublic:
        with Session(self._engine) as session, session.begin():
            row = _row(session, token_id)
            row.disabled = disabled
            emit(session, "token_disabled" if disabled else "token_enabled", token=token_id)
            return _public(row)

    def delete(self, token_id: str) -> None:
        with Session(self._engine) as session, session.begin():
            session.delete(_row(session, token_id))
            emit(session, "token_deleted", token=token_id)

    @staticmethod
    def _create(
        session: Session,
        kind: TokenKind,
        *,
        secret: str | None = None,
        namespaces: list[str] | None = None,
        pipeline: str | None = None,
        run_id: int | None = None,
        description: str = "",
        expires_in: int | None = None,
    ) -> TokenSecret:
        secret = secret or PREFIX + secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        row = TokenRow(
            id=uuid.uuid4().hex,
            digest=_digest(secret),
            kind=kind,
            namespaces=list(namespaces or []),
            pipeline_id=pipeline,
            run_id=run_id,
            description=description,
            disabled=False,
            created=now,
            expires=now + timedelta(seconds=expires_in) if expires_in else None,
        )
        session.add(row)
        emit(session, "token_created", token=row.id, token_kind=kind.value)
        return TokenSecret(token=secret, details=_public(row))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _row(session: Session, token_id: str) -> TokenRow:
    row = session.get(TokenRow, token_id)
    if row is None:
        raise NotFound(f"token '{token_id}' not found")
    return row


def _public(row: TokenRow) -> TokenPublic:
    return TokenPublic(
        id=row.id,
        kind=TokenKind(row.kind),
        namespaces=row.namespaces,
        pipeline=row.pipeline_id,
        run_id=row.run_id,
        description=row.description,
        disabled=row.disabled,
        created=row.created,
        expires=row.expires,
    )
