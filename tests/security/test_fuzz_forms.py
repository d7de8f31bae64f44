"""Hostile input to every form (hypothesis): never a server error, never unescaped markup.

The POST routes come from the URL map; each is fuzzed as the first role the route matrix lets in,
with field names read from the form classes its view uses. A POST route whose view reads the
request without a form class needs an entry in READS_WITHOUT_A_FORM, so no route goes unfuzzed.
Every response is checked by `fuzzing.assert_sound`, and so is the page a success redirects to
(where the stored hostile text is shown).

Then a world whose every text is hostile is shown through every GET route, as every role the route
matrix lets in.
"""

from __future__ import annotations

import io
import itertools
from datetime import timedelta

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from lokalatih import create_app
from lokalatih.models import Role, WorkshopStatus, WorkshopTopic, utcnow
from lokalatih.quizzes.bank_io import COLUMNS

from . import fuzzing
from .fixtures import ROLES, World, signed_in_client
from .route_table import EXPECTED, OK, ROUTES, build_url, url_values

POST_ROUTES = sorted({(endpoint, rule) for endpoint, method, rule in ROUTES if method == "POST"})
GET_ROUTES = sorted({(endpoint, rule) for endpoint, method, rule in ROUTES if method == "GET"})
_APP = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")
# GET routes with a form (filters, search, the verification box) or that read the query string.
QUERY_ROUTES = [
    (endpoint, rule)
    for endpoint, rule in GET_ROUTES
    if fuzzing.forms_of_view(_APP.view_functions[endpoint])
    or fuzzing.reads_query(_APP.view_functions[endpoint])
]

# Views that read the request themselves (JSON, fields named by question id) or read nothing.
READS_WITHOUT_A_FORM = {
    "auth.logout": "nothing",
    "quizzes.save_answer": "JSON: question_id and selected",
    "action_plans.report": "a form built per action (action_plans.forms.report_form)",
}
# Views that take JSON as well as (or instead of) a form.
TAKES_JSON = {"quizzes.save_answer", "attendance.scan_batch"}


def allowed_roles(endpoint: str) -> list[str]:
    return [role for role, outcome in zip(ROLES, EXPECTED[endpoint], strict=True) if outcome == OK]


def first_allowed_role(endpoint: str) -> str:
    if endpoint not in EXPECTED:
        pytest.fail(f"{endpoint} has no entry in route_table.EXPECTED")
    allowed = [
        role for role, outcome in zip(ROLES, EXPECTED[endpoint], strict=True) if outcome == OK
    ]
    assert allowed, f"{endpoint}: no role may use it, so it cannot be fuzzed"
    return allowed[0]


def form_fields(app, endpoint: str) -> dict:
    fields = {}
    for form_class in sorted(fuzzing.forms_of_view(app.view_functions[endpoint]), key=repr):
        fields.update(fuzzing.unbound_fields(form_class))
    return fields


def base_values(world: World, endpoint: str, fields: dict) -> dict[str, object]:
    """Plausible values for every field, then what this route needs to get past its checks."""
    today = utcnow().date()
    values = {name: fuzzing.plausible(name, unbound, today) for name, unbound in fields.items()}
    day = world.workshop.start_date
    later = str(today + timedelta(days=30))
    question = world.question
    specific: dict[str, dict[str, object]] = {
        "workshops.create": {"start_date": later, "end_date": later, "mode": "hybrid"},
        "workshops.edit": {"start_date": str(day), "end_date": later, "co_organizer_email": ""},
        "workshops.add_session": {"starts_at": f"{day}T13:00", "ends_at": f"{day}T14:00"},
        "workshops.edit_session": {"starts_at": f"{day}T13:00", "ends_at": f"{day}T14:00"},
        "workshops.add_quota": {"group": "institution_type:ngo", "seats": "2"},
        "workshops.transition": {"to": WorkshopStatus.CANCELLED.value},
        "attendance.mark": {"registration_id": world.participant.registration.id},
        "attendance.unmark": {"registration_id": world.participant.registration.id},
        "attendance.enter_code": {"session_id": world.session.id},
        "admin.change_role": {"role": Role.PARTICIPANT.value},
        "quizzes.save_page": {f"q{question.id}": "a"},
        "quizzes.submit": {f"q{question.id}": "a", "page": "1"},
        "quizzes.add_questions": {"question_ids": [question.id]},
        "quizzes.draw_questions": {"topics": [question.topic], "per_topic": "1"},
        "quizzes.edit_questions": {"action": f"up-{question.id}"},
        "quizzes.manage": {"opens_at": "", "closes_at": "", "time_limit_minutes": "20"},
        "quizzes.new_question": {"choice_a": "Ya", "choice_b": "Tidak", "correct": ["a"]},
        "quizzes.edit_question": {"choice_a": "Ya", "choice_b": "Tidak", "correct": ["a"]},
        "profile.edit": {"province_code": "31", "regency_code": "31.74"},
        "privacy.withdraw_consent": {"purpose": "announcements"},
        "registrations.email_group": {"status": "", "province": "", "institution_type": ""},
        "certificates.settings": {"min_post_score": "", "min_attendance_pct": "80"},
        "main.set_language": {"lang": "id"},
    }
    for name in ("choice_c", "choice_d", "choice_e", "choice_f"):
        if name in values:
            values[name] = ""
    if endpoint in ("workshops.create", "workshops.edit"):
        values.update(registration_opens_at="", registration_closes_at="", capacity="30")
    values.update(specific.get(endpoint, {}))
    return values


@st.composite
def upload(draw) -> tuple[str, bytes]:
    """A question-bank file: hostile cells in a real CSV or XLSX, or bytes that are neither."""
    rows = draw(
        st.lists(st.lists(fuzzing.hostile_text, min_size=1, max_size=len(COLUMNS)), max_size=3)
    )
    header = list(COLUMNS)
    kind = draw(st.sampled_from(["csv", "xlsx", "bytes"]))
    if kind == "csv":
        text = "\n".join(",".join(f'"{cell}"' for cell in row) for row in [header, *rows])
        content = text.encode("utf-8", "surrogatepass")
    elif kind == "xlsx":
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
        sheet = book.add_worksheet()
        for number, row in enumerate([header, *rows]):
            sheet.write_row(number, 0, [cell.replace("\x00", "") for cell in row])
        book.close()
        content = buffer.getvalue()
    else:
        content = draw(st.binary(max_size=2000) | st.just(b"PK\x03\x04" + b"\x00" * 200))
    name = draw(st.sampled_from([f"bank.{kind}", "bank.csv", "bank.xlsx", "bank", "../x.csv"]))
    return name, content


def test_every_post_route_is_fuzzed():
    """Field names come from the view's form classes; a view with none must say what it reads."""
    unknown = [
        endpoint
        for endpoint, _ in POST_ROUTES
        if not fuzzing.forms_of_view(_APP.view_functions[endpoint])
        and endpoint not in READS_WITHOUT_A_FORM
    ]
    assert unknown == []
    assert all(first_allowed_role(endpoint) for endpoint, _ in POST_ROUTES)


# Posted once in every text field at the same time, besides the random examples.
EVERY_TEXT_FIELD = (
    "a\x00b \u202e\u200b👩🏽‍⚖️ مرحبا",
    '<script>fz()</script> "><img src=x onerror=fz()> [fz](javascript:fz())',
    # Long, but all fields together stay under werkzeug's 500 kB form limit (a 413).
    '=HYPERLINK("http://evil.contoh","x")' + "A" * 20_000,
)


@pytest.mark.parametrize(("endpoint", "rule"), POST_ROUTES, ids=[e for e, _ in POST_ROUTES])
def test_hostile_posts_get_no_server_error_and_no_raw_markup(
    app, world, fuzz_client, endpoint, rule
):
    client = fuzz_client
    url = build_url(app, world, endpoint, rule)
    fields = form_fields(app, endpoint)
    base = base_values(world, endpoint, fields)
    file_fields = [n for n, f in fields.items() if issubclass(f.field_class, fuzzing.FileField)]

    def post(body: bytes, content_type: str) -> None:
        response = client.post(url, data=body, content_type=content_type)
        fuzzing.assert_sound(response, f"POST {url}")
        target = fuzzing.local_redirect(response)
        if target is not None:
            fuzzing.assert_sound(client.get(target), f"GET {target} after POST {url}")

    for payload in EVERY_TEXT_FIELD:
        pairs = [
            pair
            for name in sorted(set(fields) | set(base))
            for pair in fuzzing.as_pairs(
                name,
                payload if name in fields and fuzzing.is_text_field(fields[name]) else base[name],
            )
        ]
        if file_fields:
            post(
                *fuzzing.multipart(pairs, [(n, "bank.csv", payload.encode()) for n in file_fields])
            )
        else:
            post(fuzzing.urlencoded(pairs), "application/x-www-form-urlencoded")

    numbers = [n for n, f in fields.items() if fuzzing.takes_integers(f)]
    if numbers:  # every number far beyond any database integer, the rest plausible
        pairs = [(name, "99999999999999999999") for name in numbers]
        pairs += [p for n in sorted(set(base) - set(numbers)) for p in fuzzing.as_pairs(n, base[n])]
        post(fuzzing.urlencoded(pairs), "application/x-www-form-urlencoded")

    @fuzzing.FUZZ_SETTINGS
    @given(data=st.data())
    def fuzz(data):
        if endpoint in TAKES_JSON and data.draw(st.booleans(), label="json"):
            body = data.draw(fuzzing.json_values, label="json body")
            if endpoint == "attendance.scan_batch" and data.draw(st.booleans()):
                body = {"tokens": data.draw(st.lists(fuzzing.hostile_text, max_size=5))}
            if endpoint == "quizzes.save_answer" and data.draw(st.booleans()):
                body = {
                    "question_id": world.question.id,
                    "selected": data.draw(fuzzing.json_values),
                }
            return post(fuzzing.json_body(body), "application/json")
        pairs = data.draw(fuzzing.form_pairs(fields, base), label="fields")
        if file_fields:
            files = [(name, *data.draw(upload(), label="file")) for name in file_fields]
            return post(*fuzzing.multipart(pairs, files))
        if data.draw(st.integers(0, 9), label="wrong content type") == 0:
            return post(*fuzzing.multipart(pairs, []))
        return post(fuzzing.urlencoded(pairs), "application/x-www-form-urlencoded")

    fuzz()


@pytest.fixture
def fuzz_client(request, app, world):
    """Signed in as the first role the route matrix lets use the route; shared by the examples."""
    endpoint = request.node.callspec.params["endpoint"]
    return signed_in_client(app, world.user_for(first_allowed_role(endpoint)))


def test_ids_beyond_a_database_integer_are_not_found(app, world):
    """An id in the URL that no integer column can hold is a 404, not a database error."""
    clients = {}
    checked = 0
    for endpoint, method, rule in ROUTES:
        route = next(r for r in app.url_map.iter_rules(endpoint) if r.rule == rule)
        numeric = [name for name, kind in route._converters.items() if kind.regex == r"\d+"]
        if not numeric or endpoint not in EXPECTED:
            continue
        role = first_allowed_role(endpoint)
        clients.setdefault(role, signed_in_client(app, world.user_for(role)))
        for huge in (2**31, 10**20):
            values = {k: v for k, v in url_values(world, endpoint).items() if k in route.arguments}
            url = route.build({**values, **dict.fromkeys(numeric, huge)}, append_unknown=False)[1]
            response = clients[role].open(url, method=method)
            fuzzing.assert_sound(response, f"{method} {url}")
            assert response.status_code in (404, 405), f"{method} {url}: {response.status_code}"
            checked += 1
    assert checked > 20


def test_hostile_text_in_the_url_gets_no_server_error(app, world):
    """Every route, its text parameters (slug, code, token…) and query string made hostile."""
    clients = {}
    for endpoint, method, rule in ROUTES:
        route = next(r for r in app.url_map.iter_rules(endpoint) if r.rule == rule)
        if endpoint not in EXPECTED or endpoint == "static":
            continue
        role = first_allowed_role(endpoint)
        clients.setdefault(role, signed_in_client(app, world.user_for(role)))
        values = {k: v for k, v in url_values(world, endpoint).items() if k in route.arguments}
        texts = [name for name, value in values.items() if isinstance(value, str)]
        for hostile in ("a\x00b", "<script>fz()</script>' OR '1'='1", "é" * 3000):
            url = route.build({**values, **dict.fromkeys(texts, hostile)}, append_unknown=False)[1]
            url += "?next=%00&page=%00" if method == "GET" else ""
            fuzzing.assert_sound(clients[role].open(url, method=method), f"{method} {url[:200]}")


# --- stored hostile text, shown by every page ---------------------------------------------------


def make_everything_hostile(db, world: World) -> None:
    """Every text a user can type, in the world, replaced by hostile markup."""
    mark = itertools.cycle(fuzzing.MARKUP)
    for owned in (world.participant, world.other_participant):
        profile = owned.user.profile
        profile.full_name = next(mark)
        profile.institution_name = next(mark)
        profile.position = next(mark)
        owned.certificate.name_on_certificate = profile.full_name
    for workshop in (world.workshop, world.other_workshop):
        workshop.title = next(mark)
        workshop.summary = next(mark)
        workshop.description = "\n\n".join(fuzzing.MARKUP)
        workshop.venue = next(mark)
        workshop.partners = next(mark)
        workshop.target_audience = next(mark)
        workshop.topics = [WorkshopTopic(tag=next(mark)[:60]), WorkshopTopic(tag="duham")]
        workshop.signatories = [{"name": next(mark), "position": next(mark)}]
        for session in workshop.sessions:
            session.title = next(mark)
            session.speakers = next(mark)
            session.place = next(mark)
    question = world.question
    question.topic = next(mark)
    question.text = next(mark)
    question.explanation = next(mark)
    question.source = next(mark)
    question.choices = [{"key": "a", "text": next(mark)}, {"key": "b", "text": next(mark)}]
    world.quiz.title = next(mark)
    world.message.subject = next(mark)
    world.message.last_error = next(mark)
    db.session.commit()


GET_SKIPPED = {"static"}


@pytest.fixture
def hostile_world(db, world) -> World:
    make_everything_hostile(db, world)
    return world


def test_every_page_shows_stored_hostile_text_escaped(app, hostile_world):
    world = hostile_world
    clients = {role: signed_in_client(app, world.user_for(role)) for role in ROLES}
    checked = 0
    for endpoint, rule in GET_ROUTES:
        # A route missing from EXPECTED already fails the route matrix.
        for role in allowed_roles(endpoint) if endpoint in EXPECTED else []:
            url = build_url(app, world, endpoint, rule)
            fuzzing.assert_sound(clients[role].get(url), f"GET {url} as {role}")
            checked += 1
    assert checked > len(GET_ROUTES)


@settings(fuzzing.FUZZ_SETTINGS, max_examples=3)
@given(data=st.data())
def test_hostile_query_strings_get_no_server_error(app, world, data):
    """The GET forms (filters, searches, the verification box) and the paging parameters, each
    route as the first role allowed to use it (a GET changes nothing, so one world serves all)."""
    clients = {}
    for endpoint, rule in QUERY_ROUTES:
        role = first_allowed_role(endpoint)
        if role not in clients:
            clients[role] = signed_in_client(app, world.user_for(role))
        fields = form_fields(app, endpoint)
        names = sorted(set(fields) | {"page", "halaman", "next", "sesi", "topik", "waktu"})
        pairs = [
            (name, data.draw(fuzzing.hostile_text | fuzzing.numbers_as_text(), label=name))
            for name in data.draw(st.lists(st.sampled_from(names), max_size=6), label=endpoint)
        ]
        url = build_url(app, world, endpoint, rule) + "?" + fuzzing.urlencoded(pairs).decode()

        fuzzing.assert_sound(clients[role].get(url), f"GET {url[:300]} as {role}")
