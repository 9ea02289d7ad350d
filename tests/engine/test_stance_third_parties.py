"""Stance patterns of the second stance round: a position a speaker reports of a third party
("Kyiv accepted a ceasefire", "the Kremlin asks for more territory", "The Russians said no"),
a quote opening between an actor and its verb, acceptance and refusal in plain words, a wish
with a requirement attached, and a press secretary's words for a ceasefire."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.actors import ActorRegistry
from briefing.models import ArticleInput, Attribution, StanceLabel, Statement
from briefing.pipeline import process_article
from tests.engine.test_stance_patterns import CON, OPP, REG, SUP, statements


def first(text: str, title: str | None = None) -> Statement:
    sts = statements(text, title)
    assert sts, text
    return sts[0]


def stances(st: Statement) -> dict[str, StanceLabel]:
    return {t.topic: t.stance for t in st.topics}


# --- a third party's act, reported by the speaker -----------------------------------------------

@pytest.mark.parametrize(("text", "holder", "topic", "label"), [
    ('"Kyiv accepted an unconditional ceasefire months ago," Rubio said.', "ukraine",
     "ceasefire", SUP),
    ("Rubio said Kyiv accepted an unconditional ceasefire months ago.", "ukraine", "ceasefire",
     SUP),
    ('"Every time there is a proposal, the Kremlin asks for more territory," Rubio said.',
     "kremlin", "territory", SUP),
    ('"The Kremlin says NATO membership is a red line," Rutte said.', "kremlin", "nato", OPP),
    ('"Russia rejected the ceasefire," Zelensky said.', "russia", "ceasefire", OPP),
    ('"The Ukrainians said yes to a ceasefire last spring," Rutte said.', "ukraine",
     "ceasefire", SUP),
    ("Zelensky said Moscow has rejected every proposal for a truce.", "russia", "ceasefire",
     OPP),
])
def test_a_third_partys_act_in_the_speakers_words_is_its_position(
        text: str, holder: str, topic: str, label: StanceLabel) -> None:
    st = first(text)
    assert st.holder == holder
    assert st.attribution is Attribution.ASCRIBED
    assert stances(st).get(topic) is label


def test_a_refusal_carried_on_in_the_same_quote_is_the_third_partys() -> None:
    sts = statements('"The Ukrainians said yes to a ceasefire last spring. The Russians said '
                     'no, and they are still saying no," Rutte said.')
    assert [(st.holder, stances(st).get("ceasefire")) for st in sts] == [
        ("ukraine", SUP), ("russia", OPP)]


@pytest.mark.parametrize(("text", "holder"), [
    # the third party in a relative clause is the object, not the clause's subject
    ("Zelensky said he would sign the deal that Russia rejected.", "zelensky"),
    # in an if-clause: a hypothetical, not a report
    ('"If Moscow rejects the ceasefire, we will add sanctions," Merz said.', "merz"),
    # the people, not the side in talks: no article, no mention
    ("Rubio said Russians are tired of the war and want a ceasefire.", "rubio"),
    # the speaker's own country is the speaker's own voice
    ('"Ukraine accepted the ceasefire," Zelensky said.', "zelensky"),
])
def test_no_third_party_where_none_takes_a_position(text: str, holder: str) -> None:
    assert first(text).holder == holder


def test_a_quote_may_open_between_the_actor_and_its_wish() -> None:
    text = ('President Trump spoke to Putin on Monday. White House press secretary Karoline '
            'Leavitt said Putin "wants a lasting settlement."')
    st = statements(text)[-1]
    assert st.speaker == "leavitt"
    assert st.holder == "putin"


# --- words of acceptance, refusal and wrong ----------------------------------------------------

@pytest.mark.parametrize(("text", "topic", "label"), [
    ("Rutte said Ukraine belongs in NATO.", "nato", SUP),
    ("Rutte said Ukraine's place belongs in NATO and always has.", "nato", SUP),
    ("Lavrov said the sanctions were \"unfriendly steps\".", "sanctions", OPP),
    ("Lavrov called the sanctions illegal.", "sanctions", OPP),
    ("Zelensky said Ukraine would accept a ceasefire along the front line.", "ceasefire", SUP),
    ("Zelensky said Ukraine would never accept a ceasefire that freezes the war.",
     "ceasefire", OPP),
    ("Sybiha said Kyiv said yes to the truce within an hour.", "ceasefire", SUP),
    ("Lavrov said Moscow said no to the truce.", "ceasefire", OPP),
    ("Senator Lindsey Graham said he was a co-sponsor of the sanctions bill.", "sanctions",
     SUP),
    ("Senator Lindsey Graham said he was proud to join the sanctions effort.", "sanctions",
     SUP),
])
def test_plain_words_of_acceptance_and_refusal(text: str, topic: str,
                                               label: StanceLabel) -> None:
    assert stances(first(text)).get(topic) is label


@pytest.mark.parametrize(("text", "topic"), [
    # "said no" only as a refusal, not before a noun
    ("Peskov said no date for talks had been set.", "ceasefire"),
    # an illegal act is not a topic's label when the topic is elsewhere
    ("Merz said Germany would back new sanctions.", "nato"),
])
def test_no_label_from_those_words_where_they_do_not_apply(text: str, topic: str) -> None:
    assert topic not in stances(first(text))


# --- a wish with a requirement attached ----------------------------------------------------------

@pytest.mark.parametrize(("text", "topic"), [
    ('"We want this war to end, but it has to end in a way that Russia cannot start it '
     'again," Kallas said.', "ceasefire"),
    ("Kallas said the EU wants talks, but any deal must include Ukraine.", "negotiations"),
    ("Kallas said the EU wants a ceasefire, but it must be a lasting one.", "ceasefire"),
    ("Macron said France backs the talks, but the settlement will have to include Europe.",
     "negotiations"),
])
def test_a_wish_with_a_requirement_is_conditional(text: str, topic: str) -> None:
    assert stances(first(text)).get(topic) is CON


@pytest.mark.parametrize(("text", "topic", "label"), [
    # no "but": the requirement is the wish itself
    ("Kallas said the EU wants a ceasefire and it has to happen now.", "ceasefire", SUP),
    # "but" before an actor that must act is a demand on it, not a condition on the wish
    ("Kallas said the EU supports the talks, but Russia keeps bombing cities.",
     "negotiations", SUP),
])
def test_no_condition_without_a_requirement_on_the_wish(text: str, topic: str,
                                                        label: StanceLabel) -> None:
    assert stances(first(text)).get(topic) is label


# --- a press secretary's words for a ceasefire -------------------------------------------------

@pytest.mark.parametrize("text", [
    "Leavitt said the president wants the killing to stop.",
    "Erdogan called for an end to the bloodshed in Ukraine.",
    "Guterres said the world wants the bloodshed to end.",
])
def test_the_killing_and_the_bloodshed_to_stop_is_a_ceasefire(text: str) -> None:
    assert stances(first(text)).get("ceasefire") is SUP


@pytest.mark.parametrize("text", [
    "Zelensky said the killing of civilians in Sumy was a war crime.",
    "Guterres said the bloodshed in Sudan had reached a new scale.",
])
def test_killing_and_bloodshed_alone_are_no_ceasefire(text: str) -> None:
    assert "ceasefire" not in stances(first(text))


# --- "the president" standing for the one president named before --------------------------------

def _mentions(text: str) -> list[tuple[str, str]]:
    doc = ArticleInput(text=text, published=datetime(2026, 3, 1, tzinfo=UTC))
    return [(m.text, m.actor_id) for m in process_article(doc, registry=REG).mentions]


def test_the_president_is_the_one_president_named_before() -> None:
    text = ("President Trump spoke on Monday. Leavitt said only that the president wants the "
            "killing to stop.")
    assert ("the president", "trump") in _mentions(text)
    st = statements(text)[-1]
    assert (st.speaker, st.holder) == ("leavitt", "trump")
    assert stances(st).get("ceasefire") is SUP


@pytest.mark.parametrize("text", [
    # two presidents named before: which one is a guess
    "Trump called Putin on Monday. Leavitt said the president wants a deal.",
    # the office named in full is not anaphora
    "Trump spoke on Monday. Merz met the president of the European Commission.",
    # nobody named before
    "Leavitt said the president wants a deal.",
    # a vice president is not the president
    "Vance spoke on Monday. Leavitt said the president wants a deal.",
])
def test_the_president_is_left_alone_when_it_is_a_guess(text: str) -> None:
    assert not any(t.lower() == "the president" for t, _ in _mentions(text))


# --- positions named without the topic's words ----------------------------------------------------

@pytest.mark.parametrize(("text", "topic", "label"), [
    ("Merz said Russia must pay for the damage it has caused.", "sanctions", SUP),
    ('"Putin started this war, and Putin should pay for it," Graham said.', "sanctions", SUP),
    ("Meloni said Italy would work with the G7 to raise the cost of Russia's aggression.",
     "sanctions", SUP),
    ("Kallas told lawmakers that Europe had to be at the table.", "europe-role", SUP),
    ("Macron said European leaders must be in the room when a deal is made.", "europe-role",
     SUP),
    ("Merz said Germany would help restore Ukraine's power grid.", "energy", SUP),
    ("Macron said France would help protect Ukraine's energy infrastructure.", "energy", SUP),
    ("Rutte said borders cannot be changed by force.", "territory", OPP),
    ("Rutte said Ukraine's borders cannot be redrawn by force.", "territory", OPP),
    ("Wang Yi said a lasting peace must be achieved through diplomacy.", "negotiations", SUP),
])
def test_positions_in_the_words_news_uses_for_them(text: str, topic: str,
                                                   label: StanceLabel) -> None:
    assert stances(first(text)).get(topic) is label


@pytest.mark.parametrize(("text", "topic"), [
    # someone else paying is no sanction
    ("Trump said Europe must pay for its own defence.", "sanctions"),
    ("Merz said the cost of energy must come down.", "sanctions"),
    # Russia at the table is not Europe's role
    ("Macron said Russia must come to the negotiating table, European diplomats said.",
     "europe-role"),
    # "held hostage to" is an idiom, not a hostage
    ("Rubio said the money must not be held hostage to border demands.",
     "prisoner-exchange"),
])
def test_no_topic_from_those_words_where_they_mean_something_else(text: str,
                                                                  topic: str) -> None:
    assert topic not in stances(first(text))


def test_a_hostage_held_by_captors_is_still_a_hostage() -> None:
    text = "Netanyahu said Israel wants every hostage held by Hamas released."
    assert "prisoner-exchange" in stances(first(text))


BILL = "Senators introduce bill to transfer frozen Russian assets to Ukraine"


@pytest.mark.parametrize("text", [
    '"I\'m proud to join this effort," said Senator Thom Tillis.',
    '"I urge my colleagues to move it quickly," said Senator Jeanne Shaheen.',
    "Senator Thom Tillis said he was a co-sponsor of the bill.",
])
def test_a_lawmakers_support_for_the_headlines_bill(text: str) -> None:
    assert stances(statements(text, BILL)[0]).get("sanctions") is SUP


@pytest.mark.parametrize("text", [
    # no verb of position
    '"We will move it quickly," said Senator Jeanne Shaheen.',
    # a verb of position, but nothing pointing back at the bill
    '"I urge my colleagues to listen," said Senator Jeanne Shaheen.',
])
def test_no_support_for_the_bill_without_both_cues(text: str) -> None:
    assert all(not st.topics for st in statements(text, BILL))


# --- names in a press release's lists -----------------------------------------------------------

def test_legislators_in_a_list_with_party_tags_are_discovered() -> None:
    from briefing.actors import discover
    text = ("U.S. Senators Jeanne Shaheen (D-NH) and Jim Risch (R-ID) today introduced a bill. "
            "It is cosponsored by Senators Thom Tillis (R-NC) and Chris Coons (D-DE).")
    ids = {a.id for a in discover(text, ActorRegistry())}
    assert {"jeanne-shaheen", "jim-risch", "thom-tillis", "chris-coons"} <= ids


def test_a_capitalised_phrase_before_brackets_is_no_legislator() -> None:
    from briefing.actors import discover
    text = "The Foreign Relations Committee (FRC) met on Tuesday. Grain Exports (Q-ZZ) rose."
    assert not discover(text, ActorRegistry())
