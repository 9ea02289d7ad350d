"""Stance patterns of news English the engine used to miss: economic measures named without
the word "sanctions", votes in a chamber, double negatives, threats, legal challenges, a
minister speaking for their country, and a position on the headline's matter in a sentence
that names no topic."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.actors import ActorRegistry, discover
from briefing.models import ArticleInput, StanceLabel, Statement
from briefing.pipeline import process_article
from briefing.stance import headline_topics

REG = ActorRegistry()
SUP, OPP, CON, UNC = (StanceLabel.SUPPORTS, StanceLabel.OPPOSES, StanceLabel.CONDITIONAL,
                      StanceLabel.UNCLEAR)


def statements(text: str, title: str | None = None) -> list[Statement]:
    doc = ArticleInput(text=text, title=title, published=datetime(2026, 3, 1, tzinfo=UTC))
    return process_article(doc, registry=REG).statements


def stances(text: str, title: str | None = None) -> dict[str, StanceLabel]:
    """Topic -> label of the first statement of the text."""
    sts = statements(text, title)
    assert sts, text
    return {t.topic: t.stance for t in sts[0].topics}


# --- economic measures: sanctions without the word ---------------------------------------------

@pytest.mark.parametrize(("text", "topic", "label"), [
    ("Trump said he will put a 25% tariff on goods from any country buying Russian oil.",
     "sanctions", SUP),
    ("Tusk said Poland backs the gas ban.", "sanctions", SUP),
    ("Tusk said Poland backs the gas ban.", "economy", SUP),
    ("Merz said Berlin wants the reparations loan agreed this week.", "sanctions", SUP),
    ("Sybiha said Kyiv would not agree to lift restrictions on Russian ships.", "sanctions", SUP),
    ("Orban said Hungary rejects any ban on Russian gas.", "sanctions", OPP),
    ("Lavrov said the confiscation of frozen Russian assets would be theft.", "sanctions", OPP),
    ("Meloni said Italy would keep its restrictions on Russian banks.", "sanctions", SUP),
])
def test_economic_measures_against_russia_are_sanctions(text: str, topic: str,
                                                         label: StanceLabel) -> None:
    assert stances(text).get(topic) is label


@pytest.mark.parametrize("text", [
    "Macron said France wants lower tariffs on Chinese cars.",
    "Tusk said Poland backs restrictions on lorry traffic in Warsaw.",
    "Merz said Germany would ban smoking in cars with children.",
])
def test_measures_without_a_russian_target_are_not_sanctions(text: str) -> None:
    assert "sanctions" not in stances(text)


# --- words that look like a topic and are not ----------------------------------------------

def test_a_vote_in_a_chamber_is_not_an_election() -> None:
    assert "elections" not in stances("Vance said he would vote against the bill.")
    assert "elections" not in stances("Merz said the Bundestag votes on the package today.")
    assert "elections" not in stances("Starmer said he wanted a Commons vote before any deal.")
    assert "elections" in stances("Zelensky said Ukrainians will vote once the war is over.")
    assert "elections" in stances("Zelensky said a presidential vote could follow a truce.")


@pytest.mark.parametrize("text", [
    "Schumer said his caucus would supply the votes for new sanctions on Russia.",
    "Vance said the sanctions bill had a strong bipartisan vote.",
    "Vance said the leadership lacks the votes to pass new sanctions on Russia.",
])
def test_a_whips_count_of_votes_is_not_an_election(text: str) -> None:
    found = stances(text)
    assert "sanctions" in found and "elections" not in found


def test_a_vote_of_the_people_is_still_an_election() -> None:
    assert "elections" in stances("Zelensky said the vote next spring must be free and fair.")
    assert "elections" in stances("Zelensky said Ukraine would have the vote once the war ends.")


@pytest.mark.parametrize(("text", "label"), [
    ("Vance said he would oppose the aid package.", OPP),
    ("Stefanishyna urged senators to pass the Ukraine aid without delay.", SUP),
    ("Simion argued against sending any more military equipment to Kyiv.", OPP),
    ("Rutte said security assistance to Ukraine must continue.", SUP),
])
def test_aid_named_as_news_names_it_is_military_aid(text: str, label: StanceLabel) -> None:
    assert stances(text).get("military-aid") is label


def test_a_cabinet_meeting_is_not_a_summit() -> None:
    assert "summit" not in stances("Merz said after a cabinet meeting that Berlin wants a truce.")
    assert stances("Macron said he wants a meeting with Putin.").get("summit") is SUP


# --- double negatives, threats, challenges, harm ---------------------------------------------

@pytest.mark.parametrize(("text", "topic", "label"), [
    ("Orban said dialogue is not a sign of weakness.", "negotiations", SUP),
    ("Erdogan said talks with Moscow are no mistake.", "negotiations", SUP),
    ("Orban said dialogue with Russia isn't a weakness.", "negotiations", SUP),
    ("Kallas said sanctions relief is not a price Europe pays for a truce at sea.",
     "sanctions", SUP),
    # a plain negation still opposes
    ("Lavrov said dialogue is not possible now.", "negotiations", OPP),
    ("Peskov said talks are not on the agenda.", "negotiations", OPP),
    ("Lavrov said a ceasefire would be a mistake.", "ceasefire", UNC),
])
def test_a_negative_judgement_denied_is_support(text: str, topic: str,
                                                 label: StanceLabel) -> None:
    assert stances(text).get(topic) is label


@pytest.mark.parametrize(("text", "topic", "label"), [
    ("Medvedev said any European troops sent to Ukraine will be destroyed.", "peacekeepers", OPP),
    ("Medvedev said British troops would be treated as legitimate targets.", "peacekeepers",
     OPP),
    ("Ushakov said any use of the frozen assets would be treated as theft.", "sanctions", OPP),
    ("Orban said Hungary will challenge the gas ban in court.", "sanctions", OPP),
    ("Wang Yi said the confiscation of assets undermines the international financial order.",
     "sanctions", OPP),
    ('Kallas warned that tariffs on allies "will hurt the wrong people."', "economy", OPP),
    ("Merz warned that a gas ban would damage German industry.", "sanctions", OPP),
])
def test_threats_challenges_and_harm_oppose(text: str, topic: str, label: StanceLabel) -> None:
    assert stances(text).get(topic) is label


@pytest.mark.parametrize(("text", "topic"), [
    ("Zelensky said the power plant was destroyed overnight.", "energy"),
    ("Zelensky said the sanctions undermine Russia's war economy.", "sanctions"),
    ("Kallas said the gas ban is a challenge Europe can meet.", "sanctions"),
    # harm to Russia is what sanctions are for
    ("Kallas warned that new sanctions would hurt Russia's economy.", "sanctions"),
    ("Kallas warned that Moscow would face new sanctions.", "sanctions"),
])
def test_harm_words_about_something_else_do_not_oppose(text: str, topic: str) -> None:
    assert stances(text).get(topic) is not OPP


# --- support cues, durations, conditions -------------------------------------------------------

@pytest.mark.parametrize(("text", "topic", "label"), [
    ("Netanyahu said a hostage deal was within reach.", "prisoner-exchange", SUP),
    ("Erdogan said a truce could be the first step toward peace.", "ceasefire", SUP),
    ("Merz said tax reform was unavoidable.", "economy", SUP),
    ("Meloni said Italy would vote for the sanctions package.", "sanctions", SUP),
    ("Takaichi said Japan would keep sanctions on Russia for as long as the aggression "
     "continues.", "sanctions", SUP),
    ("Zakharova said Moscow would observe a truce as long as Kyiv did the same.", "ceasefire",
     CON),
    ("Macron said French troops would be deployed only after a ceasefire.", "peacekeepers", CON),
])
def test_support_cues_and_conditions(text: str, topic: str, label: StanceLabel) -> None:
    assert stances(text).get(topic) is label


# --- a minister speaks for their country -------------------------------------------------------

@pytest.mark.parametrize(("text", "name", "country"), [
    ("Turkish Foreign Minister Hakan Fidan said talks could resume.", "hakan-fidan", "turkey"),
    ("Hungarian Foreign Minister Peter Szijjarto said no.", "peter-szijjarto", "hungary"),
    ("In Beijing, Chinese Foreign Ministry spokesperson Lin Jian said no.", "lin-jian", "china"),
    ("China's special envoy for Eurasian affairs, Li Hui, said talks should resume.", "li-hui",
     "china"),
])
def test_a_government_title_with_a_nationality_makes_a_member(text: str, name: str,
                                                              country: str) -> None:
    found = {a.id: a for a in discover(text, REG)}
    assert found[name].member_of == (country,)


@pytest.mark.parametrize(("text", "name"), [
    # the nationality belongs to another phrase, or the title is not a government's
    ("Ships of Russia's shadow fleet were stopped, Defence Minister Tarmo Kask said.",
     "tarmo-kask"),
    ("The loan draws on frozen Russian assets, Finance Minister Satsuki Katayama said.",
     "satsuki-katayama"),
    ("Turkish economist Selin Aydin said the lira would fall.", "selin-aydin"),
    ("Fidan told his Romanian counterpart, Oana Toiu, that talks could resume.", "oana-toiu"),
])
def test_a_nationality_elsewhere_makes_no_member(text: str, name: str) -> None:
    found = {a.id: a for a in discover(text, REG)}
    assert name in found and found[name].member_of == ()


def test_a_minister_saying_their_country_is_ready_holds_the_position() -> None:
    text = "Turkish Foreign Minister Hakan Fidan said Turkiye was ready to host new talks."
    doc = ArticleInput(text=text, published=datetime(2026, 3, 1, tzinfo=UTC))
    pa = process_article(doc, registry=REG)
    st = pa.statements[0]
    assert st.holder == "hakan-fidan"
    assert st.attribution.value == "on_record"
    registry = REG.with_actors([a for a in discover(text, REG)])
    assert "hakan-fidan" in registry.expand("turkey")


# --- the headline's matter, in a sentence that names no topic ------------------------------------

TROOPS = "Macron defends plan for French troops in Ukraine"
BAN = "Poland backs EU ban on Russian gas"


def test_headline_topics_need_one_matter() -> None:
    assert headline_topics(TROOPS) == ("peacekeepers", "troops")
    assert headline_topics(BAN) == ("sanctions economy", "gas")
    assert headline_topics("Ceasefire talks stall as sanctions bite") is None
    # a meeting is the occasion, not the matter
    assert headline_topics("Macron hosts leaders in Paris") is None
    assert headline_topics(None) is None
    # one matter named twice is still one matter
    assert headline_topics("Secondary tariffs on buyers of Russian oil") == (
        "sanctions", "tariffs")
    assert headline_topics("PM's fury as Kremlin mocks peace force plan") == (
        "peacekeepers", "force")


@pytest.mark.parametrize(("text", "title", "topic", "label"), [
    ("Orban said Hungary would vote against any deployment.", TROOPS, "peacekeepers", OPP),
    ("Meloni also rejected the plan on Tuesday.", TROOPS, "peacekeepers", OPP),
    ("Tusk said Poland welcomed the decision.", BAN, "sanctions", SUP),
    ('"We will challenge it in court," Orban said.', BAN, "economy", OPP),
    ("Orban said Hungary would vote against any deployment if Parliament were asked.", TROOPS,
     "peacekeepers", OPP),
    ("Meloni said Italy would back the plan if Washington took part.", TROOPS, "peacekeepers",
     CON),
    # the condition belongs to the other clause
    ("Rubio said Washington backed the plan and would blame Moscow if it failed.", TROOPS,
     "peacekeepers", SUP),
    ("Orban said Hungary would never accept the ban.", BAN, "sanctions", OPP),
    ("Starmer said the idea was madness.", "Kremlin mocks peace force plan", "peacekeepers",
     OPP),
])
def test_a_position_without_a_topic_word_is_on_the_headlines_matter(
        text: str, title: str, topic: str, label: StanceLabel) -> None:
    assert stances(text, title).get(topic) is label


@pytest.mark.parametrize(("text", "title"), [
    # two matters in the headline: which one is meant is a guess
    ("Meloni also rejected the plan on Tuesday.", "Ceasefire talks stall as sanctions bite"),
    # no verb of position
    ("Orban said Hungary must think of its families first.", BAN),
    ("Meloni said the plan would be discussed on Friday.", TROOPS),
    # a verb of position, but nothing that points back at the matter
    ("Meloni said Italy rejected all pressure from abroad.", TROOPS),
    # the author's own words, not someone's position
    ("The plan was rejected by many in Rome.", TROOPS),
])
def test_no_headline_stance_without_a_clear_position_on_the_matter(text: str,
                                                                   title: str) -> None:
    assert all(not st.topics for st in statements(text, title))


def test_every_measure_word_passes_the_cheap_gate() -> None:
    from briefing import stance
    forms = ["tariff", "tariffs", "penalty", "penalties", "restrictions", "ban", "bans",
             "duties", "levies"]
    assert all(stance._MEASURE.fullmatch(f) for f in forms)
    assert all(any(w in f for w in stance._MEASURE_WORDS) for f in forms)
