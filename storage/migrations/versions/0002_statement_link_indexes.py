"""statement links: (topic, statement) and (actor, statement) indexes for newest-first reads

Revision ID: 0002_statement_link_indexes
Revises: 0001
Create Date: 2026-11-22 01:25:00

Candidates for contradiction checks and evidence are read newest first per topic or actor;
with these indexes each read walks one index range backwards and stops at its limit, instead
of collecting every statement of the topic or actor and sorting them (bench/, issue 7).
"""
from alembic import op

revision = '0002_statement_link_indexes'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_statement_topic_topic_statement', 'statement_topic',
                    ['topic_id', 'statement_id'], unique=False)
    op.create_index('ix_statement_actor_actor_statement', 'statement_actor',
                    ['actor_id', 'statement_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_statement_actor_actor_statement', table_name='statement_actor')
    op.drop_index('ix_statement_topic_topic_statement', table_name='statement_topic')
