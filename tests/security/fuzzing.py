"""Hostile input for the fuzz tests: hypothesis strategies, form introspection, request bodies and
the checks every response must pass.

Field names come from the form classes a view refers to (read from its code), so a new form, or a
new field on an old one, is fuzzed without touching the tests.
"""

from __future__ import annotations

import inspect
import json
import types
from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import urlencode, urlsplit

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FileField,
    Form,
    IntegerField,
    SelectFieldBase,
    SelectMultipleField,
    SubmitField,
)
from wtforms.fields.core import UnboundField

from tests.support import PASSWORD

# Repeatable in CI: the same examples every run, nothing written to a .hypothesis directory.
# No shrinking: a failure names the request, and shrinking 100 kB bodies takes minutes.
FUZZ_SETTINGS = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

# Markup that must never come back unescaped. Each carries "fz" so that no page of the app
# contains it by itself.
MARKUP = (
    "<script>fz()</script>",
    '"><img src=x onerror=fz()>',
    "'><svg onload=fz()>",
    "</textarea><script>fz()</script>",
    '<a href="javascript:fz()">fz</a>',
    "[fz](javascript:fz())",
    "<iframe src=javascript:fz()></iframe>",
)
RAW_MARKERS = (
    "<script>fz",
    "<img src=x onerror=fz",
    "<svg onload=fz",
    "<iframe src=javascript:fz",
    'href="javascript:fz',
    "href='javascript:fz",
    "href=javascript:fz",
)
FORMULAS = (
    '=HYPERLINK("http://evil.contoh","x")',
    "@SUM(1+1)",
    "+62 812",
    "-2+3",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
)
SQL = (
    "' OR '1'='1",
    "'; DROP TABLE users; --",
    "1 UNION SELECT password_hash FROM users",
    "%",
    "_",
    "\\",
    '"',
)
UNICODE = (
    "\u202eRTL\u202c \u202dLTR",
    "مرحبا بالعالم",
    "שלום",
    "\u200b\u200c\u200d\u2060\ufeff",
    "👩🏽‍⚖️🇮🇩💥",
    "a\x00b",
    "\x00",
    "\r\n\t\x0b\x0c",
    "Z̸̢͉a̷l̶g̵o̸",
    "\U0010fffd",
)
ODD = (
    "",
    " ",
    "{{7*7}}",
    "${7*7}",
    "%(x)s %s %n",
    "../../etc/passwd",
    "null",
    "NaN",
    "-0",
    "1e309",
    "9" * 40,
    "-" + "9" * 30,
    "0x1F",
    "2026-02-30",
    "2026-12-07T25:61",
    "[]",
    "{}",
)
HOSTILE = MARKUP + FORMULAS + SQL + UNICODE + ODD

_plain_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@st.composite
def _long_text(draw) -> str:
    unit = draw(st.sampled_from(["A", "é", "👩🏽‍⚖️", "<script>fz()</script>", "a\x00", "' OR 1=1 "]))
    size = draw(st.sampled_from([300, 5_000, 100_000]))
    return unit * (size // len(unit))


hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    _plain_text,
    _long_text(),
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE), _plain_text),
)


def numbers_as_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(-(10**30), 10**30).map(str),
        st.sampled_from(["0", "-1", "1", "2147483648", "9223372036854775808", "1.5", "1e3"]),
        hostile_text,
    )


# --- forms -----------------------------------------------------------------------------------


def unbound_fields(form_class: type[Form]) -> dict[str, UnboundField]:
    return {
        name: value
        for name in dir(form_class)
        if isinstance(value := getattr(form_class, name, None), UnboundField)
    }


def _names(function: Callable) -> set[str]:
    codes = [function.__code__]
    for code in codes:
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    return {name for code in codes for name in code.co_names}


def _helpers(function: Callable, names: set[str]) -> list[Callable]:
    """The module-level functions of the same module that `function` calls."""
    return [
        obj
        for name in names
        if isinstance(obj := function.__globals__.get(name), types.FunctionType)
        and obj.__module__ == function.__module__
    ]


def reads_query(view: Callable) -> bool:
    """Whether the view, or a helper it calls, reads `request.args`."""
    view = inspect.unwrap(view)
    names = _names(view)
    return "args" in names or any("args" in _names(helper) for helper in _helpers(view, names))


def forms_of_view(view: Callable, depth: int = 1) -> set[type[Form]]:
    """The form classes a view names in its code; if it names none, those of the module-level
    helpers it calls (one level down)."""
    view = inspect.unwrap(view)
    names = _names(view)
    found = {
        obj
        for name in names
        if isinstance(obj := view.__globals__.get(name), type) and issubclass(obj, Form)
    }
    if found or depth == 0:
        return found
    return set().union(*(forms_of_view(helper, depth - 1) for helper in _helpers(view, names)))


def choice_values(unbound: UnboundField) -> list[str]:
    """The values a select offers, when the class declares them (else [] : set per request)."""
    choices = unbound.kwargs.get("choices")
    if choices is None and len(unbound.args) > 2:
        choices = unbound.args[2]
    if callable(choices):
        choices = choices()
    values = []
    for choice in choices or []:
        value = choice[0] if isinstance(choice, tuple | list) else getattr(choice, "value", choice)
        values.append(str(value))
    return values


def plausible(name: str, unbound: UnboundField, today: date) -> str | list[str] | None:
    """A value the form would likely accept: the base that hostile values are mixed into."""
    kind = unbound.field_class
    if issubclass(kind, SubmitField):
        return "1"
    if issubclass(kind, BooleanField):
        return "y"
    if issubclass(kind, DateTimeLocalField):
        return f"{today + timedelta(days=30)}T09:00"
    if issubclass(kind, DateField):
        return str(today + timedelta(days=30))
    if issubclass(kind, IntegerField):
        return "5"
    if issubclass(kind, FileField):
        return None
    if issubclass(kind, SelectFieldBase):
        values = [v for v in choice_values(unbound) if v]
        if issubclass(kind, SelectMultipleField):
            return values[:1]
        return values[0] if values else ""
    hints = {
        "email": "fuzz@contoh.id",
        "password": PASSWORD,
        "next": "/",
        "url": "https://contoh.id/rapat",
        "phone": "081234567890",
        "code": "ABC123",
        "kode": "ABCDEFGHJKMNPQRS",
    }
    for hint, value in hints.items():
        if hint in name:
            return value
    return "Teks uji loka latih"


def takes_integers(unbound: UnboundField) -> bool:
    return issubclass(unbound.field_class, IntegerField) or unbound.kwargs.get("coerce") is int


def is_text_field(unbound: UnboundField) -> bool:
    kind = unbound.field_class
    return not issubclass(
        kind, BooleanField | DateField | IntegerField | SelectFieldBase | FileField | SubmitField
    )


ODD_DATES = (
    "0001-01-01",
    "9999-12-31",
    "1900-01-01T00:00",
    "9999-12-31T23:59",
    "2026-02-30",
    "2026-12-07T09:00:60",
    "07-12-2026",
    "2026-12-07T09:00+07:00",
)


def hostile_value(unbound: UnboundField | None) -> st.SearchStrategy:
    """A wrong value of the field's own kind (a number out of range, a date that is not one, a
    choice not on the list), or any hostile text."""
    kind = unbound.field_class if unbound is not None else None
    if kind is None or is_text_field(unbound):
        return hostile_text
    if issubclass(kind, IntegerField):
        return numbers_as_text()
    if issubclass(kind, DateField):
        return st.sampled_from(ODD_DATES) | hostile_text
    if issubclass(kind, SelectMultipleField):
        return st.lists(st.sampled_from(choice_values(unbound) or ["x"]) | hostile_text, max_size=4)
    if issubclass(kind, SelectFieldBase):
        return st.sampled_from(choice_values(unbound) or [""]) | hostile_text
    return hostile_text


@st.composite
def form_pairs(draw, fields: dict[str, UnboundField], base: dict[str, object]) -> list[tuple]:
    """(name, value) pairs for a urlencoded body.

    Half the time the plausible base with one to three fields spoiled (so the success path stores
    and shows the hostile text); otherwise every field random, missing or repeated, plus unknown
    keys.
    """
    names = sorted(set(fields) | set(base))
    pairs: list[tuple[str, str]] = []
    if names and draw(st.booleans()):
        spoiled = set(draw(st.lists(st.sampled_from(names), min_size=1, max_size=3)))
        for name in names:
            value = draw(hostile_value(fields.get(name))) if name in spoiled else base.get(name)
            pairs += as_pairs(name, value)
        return pairs
    for name in names:
        how = draw(st.sampled_from(["one", "one", "missing", "repeated"]))
        if how == "missing":
            continue
        value = st.just(base.get(name)) | hostile_value(fields.get(name)) | numbers_as_text()
        for _ in range(draw(st.integers(2, 4)) if how == "repeated" else 1):
            pairs += as_pairs(name, draw(value))
    for _ in range(draw(st.integers(0, 2))):
        name = draw(st.sampled_from(["", "q", "q1", "x" * 300]) | _plain_text)
        pairs.append((name, draw(hostile_text)))
    return pairs


def as_pairs(name: str, value) -> list[tuple[str, str]]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [(name, str(item)) for item in value]
    return [(name, str(value))]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | hostile_text,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["tokens", "question_id", "selected", "x"]), children)
    ),
    max_leaves=10,
)


def urlencoded(pairs: list[tuple[str, str]]) -> bytes:
    return urlencode(pairs, encoding="utf-8", errors="surrogatepass").encode("ascii")


def multipart(pairs: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> tuple:
    """A multipart body built here: werkzeug's builder spools large bodies to a temporary file it
    never closes (a ResourceWarning, an error under -W error)."""
    boundary = "fuzz-batas-uji-7d1c"
    chunks = []
    for name, value in pairs:
        chunks.append(
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{_quoted(name)}"\r\n\r\n'.encode()
            + value.encode("utf-8", "surrogatepass")
            + b"\r\n"
        )
    for name, filename, content in files:
        chunks.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{_quoted(name)}"; '
                f'filename="{_quoted(filename)}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode("utf-8", "surrogatepass")
            + content
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def json_body(value) -> bytes:
    return json.dumps(value).encode()


# --- checks ----------------------------------------------------------------------------------


def assert_sound(response, what: str) -> None:
    """No server error, no debugger or traceback, and no hostile markup echoed raw."""
    body = response.get_data(as_text=True) if _is_text(response) else ""
    assert response.status_code < 500, f"{what}: {response.status_code}\n{body[:2000]}"
    for sign in ("Traceback (most recent call last)", "Werkzeug Debugger", "werkzeug.debug"):
        assert sign not in body, f"{what}: {sign!r} in the response"
    if response.mimetype == "text/html":
        for marker in RAW_MARKERS:
            assert marker not in body, f"{what}: {marker!r} unescaped\n{_around(body, marker)}"


def _is_text(response) -> bool:
    return response.mimetype.startswith("text/") or response.mimetype == "application/json"


def _around(body: str, marker: str) -> str:
    at = body.find(marker)
    return body[max(0, at - 300) : at + 300]


def local_redirect(response) -> str | None:
    if response.status_code not in (301, 302, 303, 307, 308):
        return None
    location = urlsplit(response.headers.get("Location", ""))
    if location.netloc not in ("", "localhost"):
        return None
    return location.path + (f"?{location.query}" if location.query else "")
