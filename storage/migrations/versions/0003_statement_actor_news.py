"""statement: (holder, published, id) and (speaker, published, id) indexes

Revision ID: 0003_statement_actor_news
Revises: 0002_statement_link_indexes
Create Date: 2026-11-22 01:55:00

/stance, /quotes and /brief read an actor's statements newest first; with these indexes the
read walks one index range and stops at its limit instead of sorting every statement of the
actor (bench/, issue 7).
"""
from alembic import op

revision = '0003_statement_actor_news'
down_revision = '0002_statement_link_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_statement_holder_published', 'statement',
                    ['holder_id', 'published', 'id'], unique=False)
    op.create_index('ix_statement_speaker_published', 'statement',
                    ['speaker_id', 'published', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_statement_speaker_published', table_name='statement')
    op.drop_index('ix_statement_holder_published', table_name='statement')
