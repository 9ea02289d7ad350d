"""What users read: a stance's topic meaning reads as a definition, statement kinds in words,
counts in the right number, and files cited by name, never by the server's path."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot import blocks
from bot.plaintext import to_plain
from briefing.answers import QuotesAnswer, SourcesAnswer, StanceAnswer
from briefing.models import (
    Actor,
    ActorKind,
    ArticleRef,
    Attribution,
    Certainty,
    Evidence,
    StanceLabel,
    Statement,
    StatementKind,
    StoredStatement,
)
from briefing.ports import SourceInfo
from briefing.topics import TOPICS, free_topic
from tests.cli.test_cli import briefbot, seeded  # noqa: F401  (seeded is a fixture)

NOW = datetime(2025, 2, 14, 9, 0, tzinfo=UTC)
TRUMP = Actor(id="trump", name="Donald Trump", kind=ActorKind.PERSON)
NATO = next(t for t in TOPICS if t.id == "nato")
FILE = ArticleRef(id=1, path="/work/main/seeds/000_abc8f516191ce043.txt", published=NOW)
TITLED_FILE = FILE.model_copy(update={"title": "Talks in Riyadh"})


def evidence(article: ArticleRef = FILE) -> Evidence:
    return Evidence(statement_id=1, text="Ukraine cannot go into NATO.", quote=None,
                    speaker="trump", attribution=Attribution.ON_RECORD,
                    stance=StanceLabel.OPPOSES, certainty=Certainty.CONFIRMED,
                    kind=StatementKind.DIRECT_QUOTE, article=article)


def stance_text(answer: StanceAnswer) -> tuple[str, str]:
    message = blocks.render_stance(answer)
    return message.blocks[1]["text"]["text"], to_plain(message)


def test_a_stance_line_reads_the_topic_meaning_as_a_definition() -> None:
    answer = StanceAnswer(actor=TRUMP, topic=NATO, stance=StanceLabel.OPPOSES,
                          evidence=[evidence()], history=[])
    mrkdwn, plain = stance_text(answer)
    assert mrkdwn == "*Stance: opposes* — “supports” here means: Ukraine joining NATO"
    assert "Stance: opposes — “supports” here means: Ukraine joining NATO" in plain
    assert "(supports" not in plain


def test_every_known_topic_reads_as_a_definition() -> None:
    for topic in TOPICS:
        meaning = blocks.supports_definition(topic)
        assert meaning and meaning.startswith("“supports” here means: ")
        assert "supports supports" not in meaning and " means: supports" not in meaning


def test_a_free_word_topic_reads_sensibly() -> None:
    answer = StanceAnswer(actor=TRUMP, topic=free_topic("grain corridor"),
                          stance=StanceLabel.SUPPORTS, evidence=[evidence()], history=[])
    mrkdwn, _ = stance_text(answer)
    assert mrkdwn == "*Stance: supports* — “supports” here means: in favour of “grain corridor”"
    assert "what the words describe" not in mrkdwn


def test_quote_kinds_are_shown_in_words() -> None:
    quotes = [StoredStatement(id=i, article=FILE, statement=Statement(
        sentence=i, text="He said so.", speaker="peskov", kind=kind,
        certainty=Certainty.REPORTED, attribution=Attribution.ON_RECORD))
        for i, kind in enumerate(StatementKind)]
    message = blocks.render_quotes(QuotesAnswer(actor=TRUMP, quotes=quotes))
    plain = to_plain(message)
    for word in ("direct quote", "reported speech", "media report"):
        assert f"· {word} ·" in plain
    assert "direct_quote" not in plain and "reported_speech" not in plain
    assert "media_report" not in str(message.blocks)


def test_files_are_cited_by_name_without_the_servers_path_or_stray_underscores() -> None:
    untitled = blocks.cite(FILE)
    assert untitled.endswith(" · 000_abc8f516191ce043.txt")
    assert "/work/main" not in untitled
    titled = blocks.cite(TITLED_FILE)
    assert titled.endswith(" · _Talks in Riyadh_ (000_abc8f516191ce043.txt)")
    assert "/work/main" not in blocks.cite_plain(FILE)
    answer = StanceAnswer(actor=TRUMP, topic=NATO, stance=StanceLabel.OPPOSES,
                          evidence=[evidence(FILE), evidence(TITLED_FILE)], history=[])
    message = blocks.render_stance(answer)
    plain = to_plain(message)
    assert "/work/main" not in plain + message.text + str(message.blocks)
    assert "· 000_abc8f516191ce043.txt" in plain
    assert "· Talks in Riyadh (000_abc8f516191ce043.txt)" in plain
    assert "_000" not in plain and "txt_" not in plain


def test_one_article_is_counted_in_the_singular() -> None:
    listing = SourcesAnswer(sources=[
        SourceInfo(id=1, url="https://example.org/feed.xml", kind="feed", articles=1),
        SourceInfo(id=2, url="https://example.org/other.xml", kind="feed", articles=2)])
    plain = to_plain(blocks.render_sources(listing))
    assert "1 article ·" in plain and "2 articles ·" in plain
    assert "1 articles" not in plain + blocks.render_sources(listing).text


def test_stance_from_the_command_line_reads_as_a_definition(seeded: str,  # noqa: F811
                                                            tmp_path: Path) -> None:
    result = briefbot("ask", "/stance trump nato", db_url=seeded, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Stance: opposes — “supports” here means: Ukraine joining NATO" in result.stdout
    assert "(004_1e8995c4b71cb59a.txt)" in result.stdout
    assert str(Path.cwd()) not in result.stdout and "/seeds/" not in result.stdout


def test_a_question_shows_the_sentence_that_raised_it_earliest() -> None:
    from datetime import UTC, datetime

    from bot.blocks import question_blocks
    from briefing.models import ArticleRef, Cited, QuestionStatus, StoredQuestion

    later = Cited(text="It is still unclear when the talks resume.",
                  article=ArticleRef(id=2, title="Later", url="https://b.example/2",
                                     published=datetime(2025, 3, 2, tzinfo=UTC)))
    earlier = Cited(text="Officials would not say when the talks resume.",
                    article=ArticleRef(id=1, title="Earlier", url="https://a.example/1",
                                       published=datetime(2025, 3, 1, tzinfo=UTC)))
    q = StoredQuestion(id=1, question="When will the talks resume?", key="k",
                       status=QuestionStatus.OPEN, raised_in=(later, earlier),
                       first_seen=datetime(2025, 3, 1, tzinfo=UTC),
                       last_seen=datetime(2025, 3, 2, tzinfo=UTC))
    blocks, plain = question_blocks(q, datetime(2025, 3, 3, tzinfo=UTC))
    shown = str(blocks)
    assert "Officials would not say when the talks resume." in shown and "a.example/1" in shown
    assert "Officials would not say" in plain and "and 1 more" in shown
