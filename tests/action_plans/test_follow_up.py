"""The follow-up job: day 90 (or the workshop's setting), a reminder 14 days later, each once,
only for actions not yet reported, to the address the participant has at the time."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from lokalatih.action_plans import services, tasks
from lokalatih.action_plans.services import ActionInput
from lokalatih.models import ActionStatus, OutboxMessage, Theme


def _queued(db, template: str | None = None) -> list[OutboxMessage]:
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if template:
        query = query.where(OutboxMessage.template == template)
    return list(db.session.scalars(query))


def test_follow_up_at_day_90_then_one_reminder_at_day_104(
    db, clock, plan_workshop, plan_participant, add_items
):
    registration = plan_participant(plan_workshop())
    add_items(registration, count=2)

    clock.advance(days=89, hours=23)
    assert tasks.send_follow_ups() == 0
    clock.advance(hours=1)
    assert tasks.send_follow_ups() == 1
    assert tasks.send_follow_ups() == 0  # a second run, the next hour: nothing new
    clock.advance(days=13, hours=23)
    assert tasks.send_follow_ups() == 0
    clock.advance(hours=1)
    assert tasks.send_follow_ups() == 1
    clock.advance(days=30)
    assert tasks.send_follow_ups() == 0

    templates = [m.template for m in _queued(db)]
    assert templates == ["action_plan_follow_up", "action_plan_reminder"]
    follow_up = _queued(db, "action_plan_follow_up")[0]
    assert "Menyusun SOP layanan informasi publik 1" in follow_up.body_text
    assert f"/workshop-saya/{registration.id}/tindak-lanjut" in follow_up.body_text


def test_the_workshop_setting_moves_the_follow_up(
    db, clock, plan_workshop, plan_participant, add_items
):
    registration = plan_participant(plan_workshop(follow_up_days=30))
    add_items(registration)

    clock.advance(days=30, minutes=1)
    tasks.send_follow_ups()

    assert [m.template for m in _queued(db)] == ["action_plan_follow_up"]


def test_no_reminder_once_every_action_is_reported(
    db, clock, plan_workshop, plan_participant, add_items
):
    registration = plan_participant(plan_workshop())
    items = add_items(registration, count=2)
    clock.advance(days=90, minutes=1)
    tasks.send_follow_ups()

    clock.advance(days=1)
    services.report_progress(
        registration,
        [
            services.ReportInput(items[0].id, ActionStatus.DONE, "Perbup sudah terbit"),
            services.ReportInput(items[1].id, ActionStatus.DROPPED),
        ],
    )
    db.session.commit()
    clock.advance(days=20)
    tasks.send_follow_ups()

    assert [m.template for m in _queued(db)] == ["action_plan_follow_up"]


def test_the_reminder_lists_only_the_actions_not_yet_reported(
    db, clock, plan_workshop, plan_participant, add_items
):
    registration = plan_participant(plan_workshop())
    items = add_items(registration, count=2)
    clock.advance(days=90, minutes=1)
    tasks.send_follow_ups()
    services.report_progress(registration, [services.ReportInput(items[0].id, ActionStatus.DONE)])
    db.session.commit()

    clock.advance(days=14)
    tasks.send_follow_ups()

    reminder = _queued(db, "action_plan_reminder")[0]
    assert "publik 2" in reminder.body_text
    assert "publik 1" not in reminder.body_text


def test_no_email_without_a_plan_or_before_the_workshop_ends(
    db, clock, plan_workshop, plan_participant, add_items
):
    plan_participant(plan_workshop())  # wrote no plan
    add_items(plan_participant(plan_workshop(ended_ago=-timedelta(days=2))))  # not ended

    clock.advance(days=91)
    tasks.send_follow_ups()

    assert _queued(db) == []


def test_a_changed_email_address_still_gets_the_follow_up(
    db, clock, plan_workshop, plan_participant, add_items
):
    registration = plan_participant(plan_workshop())
    add_items(registration)
    registration.user.email = "siti.baru@contoh.id"
    db.session.commit()

    clock.advance(days=90, minutes=1)
    tasks.send_follow_ups()

    assert [m.recipient for m in _queued(db)] == ["siti.baru@contoh.id"]


def test_two_runs_at_once_queue_one_email_each(
    db, clock, plan_workshop, plan_participant, add_items
):
    """The dedupe key holds even when the marks on the actions are lost (a killed run)."""
    registration = plan_participant(plan_workshop())
    items = add_items(registration)
    clock.advance(days=90, minutes=1)
    tasks.send_follow_ups()
    items[0].followed_up_at = None  # as if the run died after queueing, before its marks
    db.session.commit()

    tasks.send_follow_ups()

    assert len(_queued(db)) == 1


def test_a_plan_is_written_after_the_last_session_starts_until_the_follow_up(
    db, clock, plan_workshop, plan_participant, theme
):
    registration = plan_participant(plan_workshop())
    other = db.session.scalar(sa.select(Theme).where(Theme.code == "kesehatan"))

    items = services.save_plan(
        registration,
        [
            ActionInput("Forum konsultasi publik rancangan perda", date(2027, 3, 31), theme.id),
            ActionInput("  ", date(2027, 3, 31)),
            ActionInput("Pelatihan petugas puskesmas", date(2027, 6, 30), other.id, "Dinkes"),
        ],
    )
    db.session.commit()

    assert [(i.position, i.action, i.theme.code) for i in items] == [
        (1, "Forum konsultasi publik rancangan perda", "informasi"),
        (2, "Pelatihan petugas puskesmas", "kesehatan"),
    ]
    clock.advance(days=90)
    assert not services.plan_state(registration).can_write
    assert services.plan_state(registration).can_report
