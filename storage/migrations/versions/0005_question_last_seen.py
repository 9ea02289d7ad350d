"""question: index on last_seen; event: index on (day, id)

Revision ID: 0005_question_last_seen
Revises: 0004_digest_question_indexes
Create Date: 2026-11-22 03:30:00

An ingest reads the questions on its topics and actors raised most recently: with this index the
read walks last_seen newest first and stops at its limit, instead of sorting every question of a
busy topic (bench/, issue 7). It also looks for the stored reports of its lead development among
the events of a day or two, newest first by (day, id): with only the day indexed, Postgres sorted
a whole day's events first (600 ms at 100,000 articles).
"""
from alembic import op

revision = '0005_question_last_seen'
down_revision = '0004_digest_question_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_question_last_seen', 'question', ['last_seen'], unique=False)
    op.create_index('ix_event_day_id', 'event', ['day', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_event_day_id', table_name='event')
    op.drop_index('ix_question_last_seen', table_name='question')
