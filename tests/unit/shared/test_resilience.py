"""What the consumers wait out (outages) and what they blame on the record (everything else)."""

from __future__ import annotations

import asyncpg
import pytest
from aiokafka.errors import CommitFailedError, KafkaConnectionError, MessageSizeTooLargeError
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_dbapi
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from dealwire.shared.resilience import WAITING, is_transient, until_available


def wrapped(error: Exception) -> DBAPIError:
    """As SQLAlchemy's asyncpg dialect raises a driver error: its own class, the driver's error as cause."""
    try:
        try:
            raise error
        except Exception as cause:
            raise AsyncAdapt_asyncpg_dbapi.Error(str(cause)) from cause
    except Exception as adapted:
        return DBAPIError(None, None, adapted)


@pytest.mark.parametrize("error", [
    ConnectionRefusedError(111, "Connection refused"),
    TimeoutError(),
    OperationalError(None, None, ConnectionResetError()),
    wrapped(asyncpg.CannotConnectNowError("the database system is starting up")),
    wrapped(asyncpg.AdminShutdownError("terminating connection due to administrator command")),
    wrapped(asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation")),
    wrapped(asyncpg.DeadlockDetectedError("deadlock detected")),
    wrapped(asyncpg.UndefinedTableError('relation "deals" does not exist')),
    KafkaConnectionError(),
])
def test_outages_are_waited_out(error: Exception) -> None:
    assert is_transient(error)


@pytest.mark.parametrize("error", [
    ValueError("bad"),
    wrapped(asyncpg.CharacterNotInRepertoireError("invalid byte sequence for encoding UTF8: 0x00")),
    wrapped(asyncpg.NumericValueOutOfRangeError("numeric field overflow")),
    wrapped(asyncpg.exceptions._base.DataError("invalid input for query argument $4 (value out of int32 range)")),
    IntegrityError(None, None, asyncpg.UniqueViolationError("duplicate key")),
    MessageSizeTooLargeError(),
    CommitFailedError(),
])
def test_failures_of_the_record_are_not(error: Exception) -> None:
    assert not is_transient(error)


async def test_an_action_is_retried_until_the_outage_ends() -> None:
    calls = []

    async def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionRefusedError("down")
        assert "postgresql" in WAITING.describe()
        return "done"

    assert await until_available("postgresql", flaky) == "done"
    assert len(calls) == 3
    assert not WAITING


async def test_a_failure_of_the_record_propagates_at_once() -> None:
    calls = []

    async def bad() -> None:
        calls.append(1)
        raise ValueError("not a number")

    with pytest.raises(ValueError):
        await until_available("postgresql", bad)
    assert len(calls) == 1
