"""PostgreSQL restarting while participants register or answer a quiz: the requests caught by the
outage get the 503 page, the same app recovers by itself (database_health.py), and no
registration or quiz attempt is half-written.

Restarts the machine's PostgreSQL cluster (its own database, but every connection to the server
drops for a second or two); waits for pg_isready before it ends.
"""

from __future__ import annotations

import subprocess
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import sqlalchemy as sa

from lokalatih.auth.sessions import SESSION_KEY, start_login_session
from lokalatih.extensions import db
from lokalatih.models import (
    REQUIRED_PURPOSES,
    Answer,
    Attempt,
    AttemptTopicScore,
    AuditEvent,
    ConsentRecord,
    ConsentVersion,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    Role,
    User,
    Workshop,
    WorkshopMode,
    WorkshopTimezone,
    utcnow,
)
from lokalatih.quizzes.attempts import start_attempt
from tests import factories
from tests.support import password_hash

from .fixtures import PG_VERSION, wait_for_postgres, wait_until

PARTICIPANTS = 40
# Requests that meet one outage (each turned away with a 503) before the rest wait for its end.
TURNED_AWAY_PER_OUTAGE = 5


def _workshop() -> Workshop:
    organizer = User(email="penyelenggara@contoh.id", password_hash=password_hash(),
                     role=Role.ORGANIZER, email_verified_at=utcnow())  # fmt: skip
    start = (utcnow() + timedelta(days=10)).replace(hour=1, minute=0, second=0, microsecond=0)
    return factories.workshop(
        organizers=[organizer],
        sessions=[(start, start + timedelta(hours=2))],
        speakers="Komnas HAM",
        slug="loka-latih-restart",
        title="Loka Latih HAM Kota Kupang",
        summary="Pelatihan HAM bagi pemerintah daerah.",
        mode=WorkshopMode.ONLINE,
        meeting_url="https://meet.contoh.id/loka-latih-ham",
        timezone=WorkshopTimezone.WITA,
        capacity=PARTICIPANTS,
        requires_approval=False,
        waitlist_enabled=True,
        commit=False,
    )


def _participants(app) -> list[tuple[User, object]]:
    """Participants ready to register, each with a signed-in client (a server-side session row,
    as the login form would make, without paying for scrypt forty times)."""
    version = db.session.scalar(sa.select(ConsentVersion).order_by(ConsentVersion.version.desc()))
    users = []
    for number in range(PARTICIPANTS):
        user = User(email=f"peserta.restart{number}@contoh.id", password_hash=password_hash(),
                    role=Role.PARTICIPANT, email_verified_at=utcnow())  # fmt: skip
        user.profile = factories.profile(
            full_name=f"Peserta {number}", position="Analis", province_code="53",
            regency_code="53.71",
        )  # fmt: skip
        users.append(user)
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(
        ConsentRecord(user_id=user.id, version_id=version.id, purpose=purpose)
        for user in users
        for purpose in REQUIRED_PURPOSES
    )
    tokens = [start_login_session(user) for user in users]
    db.session.commit()
    signed_in = []
    for user, token in zip(users, tokens, strict=True):
        client = app.test_client()
        with client.session_transaction() as session:
            session.update({"_user_id": str(user.id), "_fresh": True, SESSION_KEY: token})
        signed_in.append((user, client))
    return signed_in


def _restart_postgres() -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", "restart"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    wait_for_postgres()


Step = tuple[str, int, Callable[[], object]]  # (kind, participant, request)
Result = tuple[str, int, float, object]  # (kind, participant, when, status or traceback)


def _run_through_restart(
    steps: list[Step], expected: set[int], restart_after: tuple[int, ...] = (6,)
) -> list[Result]:
    """Send the requests one after another in a thread, restart PostgreSQL once `restart_after[i]`
    of them have answered, and check what every outage must look like: each restart turns some
    requests away with a 503, never a 500, and within two seconds of it the app serves again."""
    results: list[Result] = []
    done = threading.Event()
    restarting = threading.Event()

    def send() -> None:
        turned_away = 0
        for kind, index, call in steps:
            if not restarting.is_set():
                turned_away = 0
            elif turned_away >= TURNED_AWAY_PER_OUTAGE:
                # Enough requests have met this outage. On a slow machine a restart can take
                # longer than all the remaining steps need to fail fast, which would leave no
                # request to show the recovery: the rest wait for PostgreSQL to be back.
                while restarting.is_set():
                    time.sleep(0.05)
            try:
                status: object = call().status_code
            except Exception:  # noqa: BLE001 (a 500 in testing: reported below)
                status = traceback.format_exc()
            if status == 503 and restarting.is_set():
                turned_away += 1
            results.append((kind, index, time.monotonic(), status))
            time.sleep(0.05)
        done.set()

    thread = threading.Thread(target=send)
    thread.start()
    outages = []
    for count in restart_after:
        wait_until(lambda c=count: len(results) >= c, 60, f"fewer than {count} requests ran")
        if outages:
            # Not before a request has been answered two seconds after the previous restart: a
            # slow restart on a busy machine (CI) could otherwise let the requests meant to show
            # the recovery all fall inside the outage, and the next restart follow at once.
            back_at = outages[-1][1]
            wait_until(
                lambda b=back_at: any(when > b + 2 for _, _, when, _ in results),
                60,
                "no request was answered after the previous restart",
            )
        began = time.monotonic()
        restarting.set()
        _restart_postgres()
        back_at = time.monotonic()
        restarting.clear()
        outages.append((began, back_at))
    thread.join(timeout=180)
    assert done.is_set()

    statuses = Counter(status for _, _, _, status in results)
    assert set(statuses) <= expected | {503}, "\n".join(map(str, statuses))  # never a 500
    next_began = [began for began, _ in outages[1:]] + [float("inf")]
    for (began, back_at), until in zip(outages, next_began, strict=True):
        during = [status for _, _, when, status in results if began <= when <= back_at + 2]
        after = [status for _, _, when, status in results if back_at + 2 < when < until]
        assert 503 in during, "a restart caught no request"
        assert after and 503 not in after, "the app did not recover by itself"
    return results


def test_requests_during_a_database_restart_get_503_and_the_app_recovers(procs_app):
    workshop = _workshop()
    db.session.commit()
    slug, workshop_id = workshop.slug, workshop.id
    participants = _participants(procs_app)
    db.session.remove()
    steps: list[Step] = []
    for index, (_, client) in enumerate(participants):
        steps.append(("register", index, lambda c=client: c.post(f"/loka-latih/{slug}/daftar")))
        steps.append(("page", index, lambda c=client: c.get(f"/loka-latih/{slug}")))
    results = _run_through_restart(steps, {200, 302})

    # Nothing half-written: a registration exists exactly with its audit entry and its email.
    failed = {index for kind, index, _, status in results if kind == "register" and status == 503}
    for index, (user, _) in enumerate(participants):
        registrations = db.session.scalar(
            sa.select(sa.func.count()).where(Registration.user_id == user.id)
        )
        audits = db.session.scalar(
            sa.select(sa.func.count()).where(
                AuditEvent.actor_id == user.id, AuditEvent.action == "registration_created"
            )
        )
        emails = db.session.scalar(
            sa.select(sa.func.count()).where(OutboxMessage.recipient == user.email)
        )
        assert registrations == audits == emails, (index, registrations, audits, emails)
        if index in failed:
            # The restart can land after the commit, while the response is being built: the
            # participant sees 503, the registration stands whole (checked above), and
            # registering again below finds it instead of making a second one.
            assert registrations in (0, 1), index
        else:
            assert registrations == 1, index

    # The participants the outage turned away simply register again: one registration each.
    for index in sorted(failed):
        response = participants[index][1].post(f"/loka-latih/{slug}/daftar")
        assert response.status_code == 302
        assert response.headers["Location"] == f"/loka-latih/{slug}", response.headers["Location"]
    confirmed = db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.workshop_id == workshop_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    )
    assert confirmed == PARTICIPANTS


TOPICS = ("DUHAM", "Hak Sipil dan Politik", "Hak Sipil dan Politik", "Hak Anak", "DUHAM")


def _open_attempts(participants) -> tuple[list[int], list[int]]:
    """Every participant confirmed in the workshop, with a started pre-test of five questions
    (the right answer is always 'a'). Returns (attempt ids, question ids)."""
    workshop = db.session.scalar(sa.select(Workshop))
    questions = [
        factories.question(
            topic=topic,
            text=f"Soal {n} tentang {topic}?",
            choices=[{"key": k, "text": f"Pilihan {k}"} for k in "abcd"],
            explanation="Pembahasan.",
            source="UUD 1945 Pasal 28I",
            commit=False,
        )
        for n, topic in enumerate(TOPICS)
    ]
    now = utcnow()
    quiz = factories.quiz(
        workshop,
        questions=questions,
        title="Pra-tes HAM",
        time_limit_minutes=60,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        shuffle_questions=False,
        shuffle_choices=False,
        commit=False,
    )
    registrations = [
        Registration(workshop_id=workshop.id, user_id=user.id,
                     status=RegistrationStatus.CONFIRMED, confirmed_at=now)
        for user, _ in participants
    ]  # fmt: skip
    db.session.add_all(registrations)
    db.session.flush()
    started = [start_attempt(quiz, registration) for registration in registrations]
    db.session.commit()
    return [attempt.id for attempt in started], [question.id for question in questions]


def _attempt_state(attempt_id: int, topic_of: dict[int, str]) -> tuple[bool, int]:
    """(submitted, correct answers), after checking the attempt is whole: a scored attempt has a
    marked answer for every question, topic counts that agree with those marks, and the score
    they give; an unscored one has no marks, no score and no topic counts."""
    attempt = db.session.get(Attempt, attempt_id)
    answers = db.session.scalars(sa.select(Answer).where(Answer.attempt_id == attempt_id)).all()
    topics = db.session.execute(
        sa.select(AttemptTopicScore.topic, AttemptTopicScore.answered, AttemptTopicScore.correct)
        .where(AttemptTopicScore.attempt_id == attempt_id)
    ).all()  # fmt: skip
    if attempt.submitted_at is None:
        assert attempt.score is None and attempt.closed_by is None, attempt_id
        assert topics == [], attempt_id
        assert all(answer.is_correct is None for answer in answers), attempt_id
        return False, 0
    assert sorted(answer.question_id for answer in answers) == sorted(topic_of), attempt_id
    assert all(answer.is_correct is not None for answer in answers), attempt_id
    expected = Counter()
    for answer in answers:
        expected[(topic_of[answer.question_id], "answered")] += 1
        expected[(topic_of[answer.question_id], "correct")] += answer.is_correct
    stored = Counter()
    for topic, answered, right in topics:
        stored[(topic, "answered")] += answered
        stored[(topic, "correct")] += right
    assert +stored == +expected, attempt_id
    correct = sum(answer.is_correct for answer in answers)
    assert attempt.score == 100.0 * correct / len(topic_of), attempt_id
    return True, correct


def test_quiz_answers_and_submits_during_a_database_restart_leave_no_half_scored_attempt(
    procs_app,
):
    _workshop()
    participants = _participants(procs_app)
    attempt_ids, question_ids = _open_attempts(participants)
    topic_of = dict(zip(question_ids, TOPICS, strict=True))
    db.session.remove()
    answer_steps: list[Step] = []
    submit_steps: list[Step] = []
    result_steps: list[Step] = []
    for index, ((_, client), attempt_id) in enumerate(zip(participants, attempt_ids, strict=True)):
        for question_id in question_ids:
            payload = {"question_id": question_id, "selected": ["a"]}
            answer_steps.append(("answer", index, lambda c=client, a=attempt_id, p=payload: c.post(
                f"/percobaan/{a}/jawaban", json=p)))  # fmt: skip
        submit_steps.append(("submit", index, lambda c=client, a=attempt_id: c.post(
            f"/percobaan/{a}/kirim")))  # fmt: skip
        result_steps.append(("result", index, lambda c=client, a=attempt_id: c.get(
            f"/percobaan/{a}/hasil")))  # fmt: skip
    # One restart while answers are being saved, one while attempts are being submitted.
    results = _run_through_restart(
        answer_steps + submit_steps + result_steps,
        {200, 302},
        restart_after=(6, len(answer_steps) + 4),
    )

    failed = {index for kind, index, _, status in results if kind == "submit" and status == 503}
    answers = [(index, status) for kind, index, _, status in results if kind == "answer"]
    saved = Counter(index for index, status in answers if status == 200)
    refused = Counter(index for index, status in answers if status == 503)
    for index, attempt_id in enumerate(attempt_ids):
        submitted, correct = _attempt_state(attempt_id, topic_of)
        # A submit turned away is usually not scored, unless the server committed it just before
        # the connection dropped; whole either way (checked above).
        assert submitted or index in failed, index
        if submitted:
            # Every answer confirmed to the page counts. One turned away counts only if the
            # server committed it just before the connection dropped (the reply never came).
            assert saved[index] <= correct <= saved[index] + refused[index], index

    # Those whose submit was turned away send it again and get their result.
    for index in sorted(failed):
        response = participants[index][1].post(f"/percobaan/{attempt_ids[index]}/kirim")
        assert response.status_code == 302
        assert response.headers["Location"] == f"/percobaan/{attempt_ids[index]}/hasil"
    db.session.expire_all()
    assert all(_attempt_state(attempt_id, topic_of)[0] for attempt_id in attempt_ids)


def test_a_connection_lost_after_the_response_is_built_does_not_turn_it_into_an_error(procs_app):
    """The database drops the connection at the very end of a request, while its session still
    holds a transaction (a restart landing then): the finished page is still delivered, and the
    next request is served on a fresh connection."""
    backends: list[int] = []

    @procs_app.get("/_uji/koneksi")
    def finished_page():
        return "selesai"

    @procs_app.teardown_request
    def drop_the_connection(error):
        # After the response and its commit, before the session is closed at teardown: something
        # read the database once more (a transaction is open) and then the connection died.
        backends.append(db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())
        with db.engine.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backends[-1]})

    client = procs_app.test_client()
    # In a thread of its own, as a server runs it, so the request has its own app context.
    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(client.get, "/_uji/koneksi").result()
        second = pool.submit(client.get, "/_uji/koneksi").result()
    assert (first.status_code, first.text) == (200, "selesai")
    assert (second.status_code, second.text) == (200, "selesai")
    assert backends[0] != backends[1]
