"""The demo's past workshops get plans and follow-ups, once, and the job emails no demo address."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from lokalatih.action_plans import tasks
from lokalatih.action_plans.demodata import load_demo_plans
from lokalatih.models import ActionPlanItem, OutboxMessage


def test_demo_plans_are_loaded_once_with_reports_and_no_emails(db, plan_workshop, plan_participant):
    workshop = plan_workshop(ended_ago=timedelta(days=200))
    for n in range(30):
        plan_participant(workshop, name=f"Peserta {n}")

    written = load_demo_plans(slug_pattern="kkpham-%")

    assert written > 0
    assert load_demo_plans(slug_pattern="kkpham-%") == 0
    statuses = set(db.session.scalars(sa.select(ActionPlanItem.status)))
    assert None in statuses and len(statuses) > 2
    tasks.send_follow_ups()
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0
