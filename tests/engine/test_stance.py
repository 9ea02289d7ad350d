"""Statements and stances: kinds, attribution, certainty, negation, conditions, ascription,
topic carry-over, and the summary of an actor's evidence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.actors import ActorRegistry
from briefing.models import (
    ArticleInput,
    ArticleRef,
    Attribution,
    Certainty,
    Evidence,
    StanceLabel,
    Statement,
    StatementKind,
)
from briefing.pipeline import process_article
from briefing.stance import label_topic, summarise

REG = ActorRegistry()
SUP, OPP, CON, UNC = (StanceLabel.SUPPORTS, StanceLabel.OPPOSES, StanceLabel.CONDITIONAL,
                      StanceLabel.UNCLEAR)


def statements(text: str) -> list[Statement]:
    doc = ArticleInput(text=text, published=datetime(2025, 3, 1, tzinfo=UTC))
    return process_article(doc, registry=REG).statements


def one(text: str, words: str) -> Statement:
    hits = [s for s in statements(text) if words in s.text]
    assert hits, statements(text)
    return hits[0]


def stance_of(st: Statement, topic: str) -> StanceLabel | None:
    return next((t.stance for t in st.topics if t.topic == topic), None)


# --- labels --------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,topic,expected", [
    ("Macron said France wants a ceasefire before Easter.", "ceasefire", SUP),
    ("Lavrov said Moscow rejects any ceasefire along the current line.", "ceasefire", OPP),
    ("Rubio said a truce is not on the table for now.", "ceasefire", OPP),
    ("Sybiha said Kyiv will never cede territory to Russia.", "territory", OPP),
    ("Vance said Ukraine may have to cede territory to end the war.", "territory", SUP),
    ("Scholz said returning to the 1991 borders is unrealistic.", "territory", SUP),
    ("Rutte said Ukraine will not join NATO any time soon.", "nato", OPP),
    ("Macron said Ukraine's NATO membership remains the goal and he supports it.", "nato", SUP),
    ("Lavrov insisted that Kyiv must abandon its NATO ambitions.", "nato", OPP),
    ("Kallas said the EU will keep the sanctions on Russia in place.", "sanctions", SUP),
    ("Orban said the EU should lift the sanctions on Russia.", "sanctions", OPP),
    ("Peskov said a ceasefire is possible only if Western arms deliveries stop.", "ceasefire", CON),
    ("Lavrov laid out the conditions for a ceasefire.", "ceasefire", CON),
    ("Zelensky said he would agree to a truce on the condition that Russia frees all prisoners.",
     "ceasefire", CON),
    ("Starmer said the Europeans must be part of any negotiations.", "europe-role", SUP),
    ("Rubio said Washington would halt military aid to Kyiv.", "military-aid", OPP),
    ("Macron said Paris will keep sending weapons to Kyiv.", "military-aid", SUP),
    ("Starmer said Britain was ready to send peacekeepers, but only if Washington offered "
     "a backstop.", "peacekeepers", CON),
    ("Orban said the EU should stop sending weapons to Ukraine, a position rejected by Tusk.",
     "military-aid", OPP),
    ("Zelensky said Ukraine will not trade its land for a pause in the fighting.", "territory",
     OPP),
    ("Zelensky said Ukraine would never recognise Crimea as Russian.", "territory", OPP),
    ("Putin said Russia was open to a ceasefire but wanted guarantees that Ukraine would not "
     "rearm.", "ceasefire", CON),
    ("Trump threatened new sanctions on Russian oil if Moscow refused a truce.", "sanctions",
     SUP),
    ("The EU agreed to extend sanctions against Russia for another six months.", "sanctions",
     SUP),
    ("Orban voted against the new sanctions.", "sanctions", OPP),
    ("Zelensky said he was ready to step down in exchange for NATO membership.", "nato", SUP),
    ("Russia has demanded that Ukraine withdraw from the four regions.", "territory", SUP),
    ("Witkoff said a ceasefire could be reached within weeks.", "ceasefire", SUP),
    ("Starmer said he would not rule out sending British troops as peacekeepers.",
     "peacekeepers", SUP),
    ("Lavrov said Moscow would agree to a truce only if the West stopped arming Kyiv.",
     "ceasefire", CON),
    ("Kallas said the sanctions will stay in place.", "sanctions", SUP),
])

def test_label(sentence: str, topic: str, expected: StanceLabel) -> None:
    st = one(sentence, sentence[:20])
    assert stance_of(st, topic) == expected

def test_a_term_inside_an_if_clause_takes_no_position() -> None:
    st = one("Trump threatened new sanctions on Russian oil if Moscow refused a truce.", "Trump")
    assert stance_of(st, "ceasefire") is UNC


def test_negation_belongs_to_the_nearest_topic() -> None:
    st = one("Rubio said Ukraine will not be admitted to NATO as part of a peace deal.", "Rubio")
    assert stance_of(st, "nato") == OPP
    assert stance_of(st, "negotiations") != OPP


def test_a_condition_names_the_goal_while_the_demand_keeps_its_own_polarity() -> None:
    st = one("Lavrov set out conditions for a ceasefire, insisting that Ukraine must renounce "
             "its NATO ambitions.", "Lavrov")
    assert stance_of(st, "ceasefire") == CON
    assert stance_of(st, "nato") == OPP


def test_a_meeting_of_a_body_is_not_a_summit() -> None:
    st = one("Putin told a meeting of his Security Council that Kyiv does not want peace.",
             "Putin")
    assert stance_of(st, "summit") is None


def test_no_cue_is_unclear() -> None:
    assert label_topic("The summit took place in Geneva.", "summit", [(4, 10)]) == UNC


# --- kinds, speakers, holders ----------------------------------------------------------------

def test_direct_quote_is_on_record() -> None:
    st = one("\u201cWe want a ceasefire now,\u201d Zelensky said.", "ceasefire")
    assert st.kind is StatementKind.DIRECT_QUOTE
    assert st.speaker == "zelensky" and st.holder == "zelensky"
    assert st.attribution is Attribution.ON_RECORD
    assert st.quote == "We want a ceasefire now,"
    assert st.certainty is Certainty.CONFIRMED


def test_pronoun_speaker_label_shows_the_name() -> None:
    st = one("Lavrov spoke in Moscow. \u201cWe are ready for talks,\u201d he said.", "ready")
    assert st.speaker == "lavrov" and st.speaker_label == "Sergei Lavrov"


def test_reported_speech() -> None:
    st = one("Erdogan pointed out it was necessary to hold talks in Istanbul.", "Erdogan")
    assert st.kind is StatementKind.REPORTED_SPEECH
    assert st.speaker == "erdogan" and st.attribution is Attribution.ON_RECORD
    assert stance_of(st, "negotiations") in (SUP, CON)


def test_title_of_office_before_a_name_is_not_cut_at_of() -> None:
    st = one("U.S. Secretary of State Marco Rubio told CBS that talks would resume.", "Rubio")
    assert st.kind is StatementKind.REPORTED_SPEECH and st.speaker == "rubio"


def test_relative_clause_after_the_speaker_is_skipped() -> None:
    st = one("Macron, who will visit Washington on Monday, said Europe wanted a durable peace.",
             "Macron")
    assert st.kind is StatementKind.REPORTED_SPEECH and st.speaker == "macron"
    assert st.speaker_label == "Macron"


def test_unnamed_official_quote_is_a_media_report() -> None:
    st = one("A senior Western official, who spoke on condition of anonymity, said the talks "
             "had \u201cstalled over the weekend.\u201d", "official")
    assert st.kind is StatementKind.MEDIA_REPORT and st.attribution is Attribution.REPORTED
    assert st.speaker_label and "official" in st.speaker_label
    assert all(t.stance is not CON for t in st.topics)


def test_speaking_for_ones_own_country_is_on_record() -> None:
    st = one("\u201cWe are ready,\u201d Zelensky said, adding that Ukraine was ready for a "
             "ceasefire.", "ready")
    assert st.holder == "zelensky" and st.attribution is Attribution.ON_RECORD


def test_a_condition_is_not_an_ascription() -> None:
    st = one("Sources say the US may ease sanctions if Moscow agrees to a truce.", "Sources")
    assert st.holder != "russia"


def test_reported_speech_with_speaker_at_the_end() -> None:
    st = one("The sides will meet again in Riyadh next week, Peskov has said.", "Riyadh")
    assert st.kind is StatementKind.REPORTED_SPEECH and st.speaker == "peskov"


def test_someone_saying_what_another_wants_is_ascribed() -> None:
    st = one("Trump spoke to reporters. \u201cXi wants to see the war end,\u201d he said.", "Xi")
    assert st.speaker == "trump" and st.holder == "xi"
    assert st.attribution is Attribution.ASCRIBED
    assert stance_of(st, "ceasefire") == SUP


def test_reported_ascription() -> None:
    st = one("Macron said Putin is not ready for a ceasefire.", "Macron")
    assert st.speaker == "macron" and st.holder == "putin"
    assert st.attribution is Attribution.ASCRIBED
    assert stance_of(st, "ceasefire") == OPP


def test_media_report_from_unnamed_sources() -> None:
    st = one("Trump reportedly asked aides to prepare a new sanctions package, according to "
             "sources cited by Bloomberg.", "Trump")
    assert st.kind is StatementKind.MEDIA_REPORT
    assert st.attribution is Attribution.REPORTED
    assert st.holder == "trump" and st.speaker == "bloomberg"
    assert st.speaker_label and "Bloomberg" in st.speaker_label


def test_according_to_a_named_person_is_that_person_on_record() -> None:
    st = one("The talks were the main event of the year, according to the deputy speaker of "
             "the upper house, Konstantin Kosachev.", "main event")
    assert st.kind is StatementKind.REPORTED_SPEECH and st.speaker == "kosachev"
    assert st.attribution is Attribution.ON_RECORD


def test_outlet_reporting_is_a_media_report_about_its_subject() -> None:
    st = one("The Financial Times reported that Witkoff proposed a ceasefire in March.",
             "Financial Times")
    assert st.kind is StatementKind.MEDIA_REPORT and st.attribution is Attribution.REPORTED
    assert st.speaker == "financial-times" and st.holder == "witkoff"


def test_wire_dateline_is_not_the_speaker() -> None:
    st = one("KYIV, March 3 (Reuters) - The Kremlin said on Monday that talks were possible.",
             "Kremlin")
    assert st.speaker == "kremlin" and st.kind is StatementKind.REPORTED_SPEECH


def test_negated_passive_is_not_reported_speech() -> None:
    assert not [s for s in statements("Ukraine was not invited to the talks.")
                if s.kind is StatementKind.REPORTED_SPEECH]


def test_unconfirmed_and_denied() -> None:
    st = one("Sources say Witkoff met Putin, but the meeting remains unconfirmed by the Kremlin.",
             "Witkoff")
    assert st.certainty is Certainty.UNCONFIRMED
    st = one("Peskov denied that the sides had discussed a ceasefire.", "Peskov")
    assert st.certainty is Certainty.DENIED


def test_analysis_is_speculative_when_hedged() -> None:
    st = one("Putin may use the talks to buy time for a new offensive.", "Putin")
    assert st.kind is StatementKind.ANALYSIS and st.attribution is Attribution.ANALYSIS
    assert st.holder == "putin" and st.certainty is Certainty.SPECULATIVE


def test_question() -> None:
    st = one("Will Putin accept a ceasefire this spring?", "Will")
    assert st.kind is StatementKind.QUESTION


def test_headings_are_not_statements() -> None:
    assert not [s for s in statements("Putin Rejects Ceasefire Offer\n"
                                      "The talks ended on Monday.")
                if s.text.startswith("Putin Rejects")]


# --- topic carried from the sentence before -----------------------------------------------------

def test_quote_continues_the_topic_of_its_reported_lead_in() -> None:
    text = ("Vance said Ukraine will not be admitted to NATO under the deal. "
            "\u201cI don't think it's realistic to have it,\u201d he told reporters.")
    st = one(text, "realistic")
    assert stance_of(st, "nato") == OPP


def test_agreeing_with_a_negated_proposition_opposes() -> None:
    text = ("\u201cThey have said for years that Ukraine cannot join NATO. And I'm fine with "
            "that,\u201d Vance said.")
    st = one(text, "fine with")
    assert stance_of(st, "nato") == OPP


def test_a_quoted_sentence_about_someone_else_does_not_carry_the_stance() -> None:
    text = ("\u201cWe have agreed to an unconditional ceasefire. Moscow has not,\u201d "
            "Zelensky said.")
    st = one(text, "Moscow has not")
    assert stance_of(st, "ceasefire") is None


def test_topic_does_not_leak_into_an_unrelated_quote() -> None:
    text = ("Rubio said Ukraine will not join NATO. Rubio then spoke about trade. "
            "\u201cThe weather was lovely,\u201d Rubio said.")
    st = one(text, "weather")
    assert stance_of(st, "nato") is None


# --- summarise ---------------------------------------------------------------------------------

def ev(day: str, stance: StanceLabel, attribution: Attribution = Attribution.ON_RECORD,
       n: int = 0) -> Evidence:
    published = datetime.fromisoformat(day).replace(tzinfo=UTC)
    return Evidence(statement_id=n, text="x", attribution=attribution, stance=stance,
                    certainty=Certainty.CONFIRMED, kind=StatementKind.DIRECT_QUOTE,
                    article=ArticleRef(id=n, published=published))


def test_a_tie_on_the_latest_day_between_different_positions_is_mixed() -> None:
    mixed = StanceLabel.MIXED
    for pair in ([ev("2025-03-01", SUP, n=1), ev("2025-03-01", mixed, n=2)],
                 [ev("2025-03-01", mixed, n=1), ev("2025-03-01", SUP, n=2)],
                 [ev("2025-03-01", OPP, n=1), ev("2025-03-01", mixed, n=2)]):
        assert summarise(pair)[0] is mixed


def test_latest_on_record_evidence_decides() -> None:
    label, history = summarise([ev("2025-03-01", OPP, n=1), ev("2025-02-01", SUP, n=2),
                                ev("2025-01-01", SUP, n=3)])
    assert label is OPP
    assert [(p.date.isoformat(), p.stance) for p in history] == [("2025-01-01", SUP),
                                                                 ("2025-03-01", OPP)]


def test_the_authors_analysis_makes_no_point_of_the_history() -> None:
    """A day with unclear words on the record and the author's guesses either way is no
    "mixed" point: analysis weighs in the overall vote, never in the history."""
    label, history = summarise([ev("2025-02-13", SUP, n=1),
                                ev("2024-11-11", SUP, Attribution.ANALYSIS, 2),
                                ev("2024-11-11", OPP, Attribution.ANALYSIS, 3),
                                ev("2024-11-11", UNC, n=4)])
    assert label is SUP
    assert [(p.date.isoformat(), p.stance) for p in history] == [("2025-02-13", SUP)]


def test_newer_hearsay_does_not_override_the_record() -> None:
    label, _ = summarise([ev("2025-03-05", SUP, Attribution.ASCRIBED, 1),
                          ev("2025-03-04", SUP, Attribution.REPORTED, 2),
                          ev("2025-03-01", CON, Attribution.ON_RECORD, 3)])
    assert label is CON


def test_without_the_record_a_weighted_vote_and_mixed_when_split() -> None:
    assert summarise([ev("2025-03-01", SUP, Attribution.REPORTED, 1),
                      ev("2025-02-01", SUP, Attribution.ANALYSIS, 2)])[0] is SUP
    assert summarise([ev("2025-03-01", SUP, Attribution.REPORTED, 1),
                      ev("2025-02-01", OPP, Attribution.REPORTED, 2)])[0] is StanceLabel.MIXED


def test_unclear_evidence_alone_is_unclear_and_empty_is_unclear() -> None:
    assert summarise([ev("2025-03-01", UNC)]) == (UNC, [])
    assert summarise([]) == (UNC, [])


def test_same_day_conflict_is_mixed() -> None:
    label, _ = summarise([ev("2025-03-01", SUP, n=1), ev("2025-03-01", OPP, n=2)])
    assert label is StanceLabel.MIXED


def test_the_authors_speculation_moves_no_point_of_the_history() -> None:
    speculation = ev("2025-01-01", SUP, Attribution.ANALYSIS, 3).model_copy(
        update={"certainty": Certainty.SPECULATIVE})
    label, history = summarise([ev("2025-03-01", CON, n=1), speculation])
    assert label is CON
    assert [(p.date.isoformat(), p.stance) for p in history] == [("2025-03-01", CON)]
