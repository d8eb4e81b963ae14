"""The record keys of the cell key method never leave data_access: no frame any exported query
returns, for any role, has a record_key column or holds an organisation's key as a value."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import text
from sqlmodel import Session

import data_access as store
from data_access import PUBLIC, Caller, Filters
from tests.callers import ADMIN, OFFICER, coordinator

WRITES = {"record_change"}  # exported functions that write rather than read
CALLERS = {
    "public": PUBLIC,
    "coordinator": coordinator("creative-pact"),
    "officer": OFFICER,
    "admin": ADMIN,
}


def _queries() -> list[tuple[str, Callable[..., Any]]]:
    """Every exported function that reads the store (takes a keyword-only session)."""
    found = []
    for name in store.__all__:
        function = getattr(store, name)
        if not inspect.isfunction(function) or name in WRITES:
            continue
        parameters = inspect.signature(function).parameters
        if "session" in parameters and parameters["session"].kind is inspect.Parameter.KEYWORD_ONLY:
            found.append((name, function))
    return found


def _arguments(function: Callable[..., Any], session: Session, caller: Caller) -> dict[str, Any]:
    values: dict[str, Any] = {
        "session": session,
        "caller": caller,
        "filters": Filters(),
        "partnership": "creative-pact",
    }
    arguments = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if name in values:
            arguments[name] = values[name]
        elif parameter.default is inspect.Parameter.empty:
            pytest.fail(f"{function.__name__} needs {name!r}: give this test a value for it")
    return arguments


def _frames(result: Any) -> Iterator[pd.DataFrame]:
    """The frames in a query's result: itself, or the frames among a dataclass's fields."""
    if isinstance(result, pd.DataFrame):
        yield result
    elif dataclasses.is_dataclass(result) and not isinstance(result, type):
        for field in dataclasses.fields(result):
            yield from _frames(getattr(result, field.name))
    elif isinstance(result, tuple | list):
        for item in result:
            yield from _frames(item)


def test_every_read_query_is_covered() -> None:
    names = {name for name, _ in _queries()}
    assert {"member_directory", "partnership_members", "outcome_cube"} <= names


@pytest.mark.parametrize("role", list(CALLERS))
@pytest.mark.parametrize(("name", "function"), _queries(), ids=[n for n, _ in _queries()])
def test_no_query_returns_a_record_key(
    session: Session, role: str, name: str, function: Callable[..., Any]
) -> None:
    caller = CALLERS[role]
    keys = {
        float(k)
        for (k,) in session.connection().execute(text("SELECT record_key FROM organisation"))
    }
    assert len(keys) > 1000
    try:
        result = function(**_arguments(function, session, caller))
    except store.AccessDenied:
        return
    for frame in _frames(result):
        assert not any("record_key" in str(column) for column in frame.columns), name
        for column in frame.columns:
            values = frame[column]
            if pd.api.types.is_float_dtype(values) or values.dtype == object:
                floats = {v for v in values.tolist() if isinstance(v, float)}
                assert not floats & keys, f"{name} returns record keys in {column!r}"
