"""questions: (question, seen) and (question, id) raise indexes, answers by statement

Revision ID: 0004_digest_question_indexes
Revises: 0003_statement_actor_news
Create Date: 2026-11-22 03:40:00

The digest reads, per question, its first raise and whether it was raised lately (two seeks on
(question_id, seen_at)), its first raises in stored order ((question_id, id): Postgres keeps
equal keys of the single-column index in table order, so it sorted every raise), and the
questions a day's statements settled (question_answer by statement_id). Before, it read every
raise of every question the day touched: seconds at 100,000 articles (bench/, issues 5 and 7).
"""
from alembic import op

revision = '0004_digest_question_indexes'
down_revision = '0003_statement_actor_news'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_question_raise_question_seen', 'question_raise',
                    ['question_id', 'seen_at'], unique=False)
    op.create_index('ix_question_raise_question_order', 'question_raise',
                    ['question_id', 'id'], unique=False)
    op.create_index('ix_question_answer_statement', 'question_answer',
                    ['statement_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_question_answer_statement', table_name='question_answer')
    op.drop_index('ix_question_raise_question_order', table_name='question_raise')
    op.drop_index('ix_question_raise_question_seen', table_name='question_raise')
