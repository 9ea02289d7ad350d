"""drop indexes that only cost writes: four covered by a wider one, and mention.actor_id

Revision ID: 0006_drop_redundant_indexes
Revises: 0005_question_last_seen
Create Date: 2026-11-22 05:15:00

Every ingest writes about 300 index entries more than its reads need (bench/, issue 7):
- event(day), statement_actor(actor_id), statement_topic(topic_id) and question_raise(question_id)
  are the first columns of (day, id), (actor_id, statement_id), (topic_id, statement_id) and
  (question_id, seen_at), which serve every read the narrow ones served;
- mention(actor_id) is never read: mentions are stored for what an article became, and no
  query looks them up by actor.
"""
from alembic import op

revision = '0006_drop_redundant_indexes'
down_revision = '0005_question_last_seen'
branch_labels = None
depends_on = None

DROPPED = (('ix_event_day', 'event', ['day']),
           ('ix_statement_actor_actor_id', 'statement_actor', ['actor_id']),
           ('ix_statement_topic_topic_id', 'statement_topic', ['topic_id']),
           ('ix_question_raise_question_id', 'question_raise', ['question_id']),
           ('ix_mention_actor_id', 'mention', ['actor_id']))


def upgrade() -> None:
    for name, table, _ in DROPPED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, columns in DROPPED:
        op.create_index(name, table, columns, unique=False)
