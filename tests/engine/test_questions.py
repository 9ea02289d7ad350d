"""Open questions: every cue on texts written for the test, merging, settling and staleness."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from briefing import questions
from briefing.models import (
    ArticleRef,
    Attribution,
    Certainty,
    Cited,
    CleanArticle,
    Mention,
    MentionKind,
    QuestionStatus,
    RaisedQuestion,
    Sentence,
    Statement,
    StatementKind,
    StoredQuestion,
    StoredStatement,
)

PUBLISHED = datetime(2025, 3, 12, 9, 0)
NAMES = {"Trump": "trump", "Putin": "putin", "Macron": "macron", "Scholz": "scholz",
         "the Kremlin": "kremlin", "The Kremlin": "kremlin", "Zelensky": "zelensky",
         "the White House": "white-house"}


def _mentions(text: str, index: int = 0, offset: int = 0) -> list[Mention]:
    out = []
    for surface, actor in NAMES.items():
        for m in re.finditer(rf"\b{re.escape(surface)}\b", text):
            out.append(Mention(sentence=index, start=offset + m.start(), end=offset + m.end(),
                               text=m.group(), actor_id=actor))
    return out


def raised(*texts: str) -> list[RaisedQuestion]:
    """Questions found in an article made of the given sentences."""
    sents, mentions, pos = [], [], 0
    for i, t in enumerate(texts):
        sents.append(Sentence(index=i, start=pos, end=pos + len(t), text=t, paragraph=i))
        mentions += _mentions(t, i, pos)
        pos += len(t) + 1
    article = CleanArticle(text="\n".join(texts), content_hash="h", published=PUBLISHED)
    return questions.detect_questions(article, sents, mentions, [])


CUE_CASES = [
    ("It remains unclear whether the ministers will sign the accord before the summit.",
     "remains unclear", "Will the ministers sign the accord before the summit?"),
    ("It is not clear when the new sanctions will take effect.",
     "remains unclear", "When will the new sanctions take effect?"),
    ("The spokesman declined to specify how many troops would be withdrawn.",
     "declined to specify", "How many troops would be withdrawn?"),
    ("The ministry did not specify where the talks would be held.",
     "declined to specify", "Where would the talks be held?"),
    ("He refused to say when the troops would leave the city.",
     "declined to specify", "When would the troops leave the city?"),
    ("The governor did not say when the convoy reached the border.",
     "declined to specify", "When did the convoy reach the border?"),
    ("Berlin has not confirmed the report.", "has not confirmed",
     "Has the report been confirmed?"),
    ("The agency could not independently verify the footage.", "has not confirmed",
     "Has the footage been confirmed?"),
    ("The claim remains unconfirmed.", "remains unconfirmed", "Has the claim been confirmed?"),
    ("A government spokesman would neither confirm nor deny the meeting.",
     "neither confirm nor deny", "Has the meeting been confirmed?"),
    ("The foreign ministry did not confirm or deny that the envoy had travelled to Doha.",
     "neither confirm nor deny", "Has it been confirmed that the envoy had travelled to Doha?"),
    ("It remains to be seen whether the truce will hold.", "remains to be seen",
     "Will the truce hold?"),
    ("Officials said it was too early to say whether the ceasefire would last.",
     "too early to say", "Would the ceasefire last?"),
    ("It is too early to talk about a peace deal, the minister said.", "too early to say",
     "Will there be a peace deal?"),
    ("No details of the agreement were given.", "no details",
     "What are the details of the agreement?"),
    ("The minister gave no details about the timetable.", "no details",
     "What are the details of the timetable?"),
    ("Details of the ceasefire deal remain scarce.", "no details",
     "What are the details of the ceasefire?"),
    ("The terms of the deal remain undisclosed.", "remains undisclosed",
     "What are the terms of the deal?"),
    ("The army has not disclosed the number of casualties.", "has not disclosed",
     "What is the number of casualties?"),
    ("It would be interesting to find out who leaked the letter.",
     "it would be interesting to find out", "Who leaked the letter?"),
    ("Nobody knows how long the blockade will last.", "nobody knows",
     "How long will the blockade last?"),
    ("The key question is whether Washington will send more air defence systems.",
     "the question is", "Will Washington send more air defence systems?"),
    ("Questions remain over the funding of the mission.", "questions remain",
     "What is known about the funding of the mission?"),
    ("The vote raises questions about the legitimacy of the new parliament.",
     "questions remain", "What is known about the legitimacy of the new parliament?"),
    ("Speculation is mounting over whether the prime minister will resign.",
     "speculation is mounting over whether", "Will the prime minister resign?"),
    ("The prospect of a snap election has fuelled speculation in the capital.",
     "generated speculation", "Will there be a snap election?"),
    ("Analysts are divided over whether the sanctions will work.", "divided over",
     "Will the sanctions work?"),
    ("The minister said she was not aware of any plans to close the embassy.",
     "not aware of any", "Are there any plans to close the embassy?"),
    ("Aides may be unaware of what the envoys discussed in Cairo.", "unaware of",
     "What did the envoys discuss in Cairo?"),
    ("Officials did not rule out a second round of talks.", "did not rule out",
     "Is a second round of talks possible?"),
    ("Moscow has not commented on the proposal.", "has not commented",
     "How will Moscow respond to the proposal?"),
    ("The White House declined to comment.", "has not commented",
     "How will the White House respond?"),
    ("The date of the summit has yet to be set.", "no announcement",
     "What has been decided about the meeting?"),
    ("The foreign ministry has remained silent about the prisoner swap.", "remained silent",
     "Has the prisoner swap been confirmed?"),
    ("The outcome of the vote remains uncertain.", "remains uncertain",
     "What is known about the outcome of the vote?"),
    ("It wasn't clear whether the convoy had crossed the border.", "remains unclear",
     "Had the convoy crossed the border?"),
    ("It is not known how many civilians were killed.", "remains unclear",
     "How many civilians were killed?"),
    ("Whether the deal will survive remains to be seen.", "remains uncertain",
     "Will the deal survive?"),
    ("How the money will be spent is unclear.", "remains uncertain",
     "How will the money be spent?"),
    ("The terms are still being worked out.", "remains uncertain",
     "What is known about the terms?"),
    ("Officials are still trying to determine what caused the explosion.",
     "it would be interesting to find out", "What caused the explosion?"),
    ("Investigators are looking into whether the drone was launched from Belarus.",
     "it would be interesting to find out", "Was the drone launched from Belarus?"),
    ("The ministry has yet to say when the talks will resume.", "declined to specify",
     "When will the talks resume?"),
    ("The general refused to be drawn on whether troops would stay.", "declined to specify",
     "Would troops stay?"),
    ("Officials gave no indication of when the border would reopen.", "declined to specify",
     "When would the border reopen?"),
    ("There is no word yet on when the hostages will be freed.", "declined to specify",
     "When will the hostages be freed?"),
    ("The Pentagon declined to discuss the operation.", "no details",
     "What are the details of the operation?"),
    ("There was no immediate comment from the Kremlin.", "has not commented",
     "How will the Kremlin respond?"),
    ("Asked when the talks would resume, the envoy said only that contacts continued.",
     "asked and evaded", "When would the talks resume?"),
    ("The main question now is whether the coalition can pass a budget.", "the question is",
     "Can the coalition pass a budget?"),
    ("Why the alarm failed is the subject of an inquiry.", "remains uncertain",
     "Why did the alarm fail?"),
    ("Lawmakers demanded to know who approved the contract.",
     "it would be interesting to find out", "Who approved the contract?"),
    ("There has been no explanation for the closure of the crossing.", "no explanation",
     "What explains the closure of the crossing?"),
    ("Officials did not give a timeline for the withdrawal.", "no timeline",
     "When will the withdrawal happen?"),
    ("The EU has not yet decided whether to extend the sanctions.", "declined to specify",
     "Will the EU extend the sanctions?"),
    ("It is not clear what role the minister played in the decision.", "remains unclear",
     "What role did the minister play in the decision?"),
    ("It is uncertain how many of the promised shells will arrive this year.",
     "remains unclear", "How many of the promised shells will arrive this year?"),
    ("The embassy did not respond to questions about whether the envoy had left.",
     "has not commented", "Had the envoy left?"),
    ("\u201cWill Putin keep his word?\u201d asked one Western diplomat.", "explicit",
     "Will Putin keep his word?"),
    ("No one knows for sure whether the ceasefire will hold.", "nobody knows",
     "Will the ceasefire hold?"),
    ("Officials have not ruled out a second round of talks.", "did not rule out",
     "Is a second round of talks possible?"),
    ("It is far from clear whether the plan can work.", "remains unclear", "Can the plan work?"),
    ("The timing of the vote is yet to be determined.", "remains uncertain",
     "What is known about the timing of the vote?"),
    ("Details of the agreement were not immediately available.", "no details",
     "What are the details of the agreement?"),
    ("Doubts remain over whether the money will arrive in time.", "doubts remain",
     "Will the money arrive in time?"),
    ("There are unanswered questions about the cost of the war.", "doubts remain",
     "What is known about the cost of the war?"),
    ("There is still no clarity on who will chair the commission.", "remains unclear",
     "Who will chair the commission?"),
    ("The ministry declined to give a reason for the cancellation.", "no explanation",
     "What explains the cancellation?"),
    ("The embassy is seeking urgent clarification of the new visa rules.", "questions remain",
     "What is known about the new visa rules?"),
    ("Whether the coalition survives the vote is another matter.", "remains uncertain",
     "Does the coalition survive the vote?"),
    ("The agency refused to disclose how much it spent on the campaign.", "declined to specify",
     "How much did it spend on the campaign?"),
    ("It is unclear to what extent the strikes have slowed production.", "remains unclear",
     "To what extent have the strikes slowed production?"),
    ("Several questions remain unanswered, including who signed the order.", "questions remain",
     "Who signed the order?"),
    ("It was not immediately known if anyone had been arrested.", "remains unclear",
     "Had anyone been arrested?"),
    ("The spokesman would not be drawn on the timing of the vote.", "not drawn on",
     "What is known about the timing of the vote?"),
    ("Neither Paris nor Berlin has said publicly what air defences are on offer.",
     "declined to specify", "What air defences are on offer?"),
    ("Officials offered no details on how the truce would be monitored.", "no details",
     "How would the truce be monitored?"),
    ("Key terms, including the price, have yet to be agreed.", "remains uncertain",
     "What is known about key terms?"),
    ("There was no immediate word from the navy on the missing crew.", "has not commented",
     "How will the navy respond?"),
    ("Economists questioned whether the fund had enough money to cover the losses.",
     "declined to specify", "Did the fund have enough money to cover the losses?"),
    ("The Kremlin has yet to respond to the offer.", "has not commented",
     "How will the Kremlin respond?"),
    ("Who controls the bridge is disputed.", "remains uncertain", "Who controls the bridge?"),
    ("The vote depends on talks that have not yet been scheduled.", "not yet scheduled",
     "When will talks happen?"),
    ("Officials were tight-lipped about the raid.", "remained silent",
     "Has the raid been confirmed?"),
    ("The army gave no indication it was ready to withdraw.", "no indication that",
     "Was it ready to withdraw?"),
    ("There are conflicting reports about who fired first.", "conflicting accounts",
     "Who fired first?"),
    ("Diplomats are waiting to see whether Beijing will step in.",
     "it would be interesting to find out", "Will Beijing step in?"),
    ("How much of the grain reaches the ports is hard to verify.", "remains uncertain",
     "How much of the grain reaches the ports?"),
    ("We do not yet know how many people were on board.", "nobody knows",
     "How many people were on board?"),
    ("The circumstances of the crash remain murky.", "remains uncertain",
     "What is known about the circumstances of the crash?"),
    ("No group has claimed responsibility for the blast.", "no claim of responsibility",
     "Who is behind the blast?"),
    ("It is an open secret that the talks have stalled, but neither side will say why.",
     "declined to specify", "Why have the talks stalled?"),
    ("The spokesman did not immediately respond to a request for comment.",
     "has not commented", "How will the spokesman respond?"),
    ("Opposition MPs asked how many of the seized tankers had been inspected.",
     "asked without saying", "How many of the seized tankers had been inspected?"),
    ("Washington backed the plan without saying what it would contribute.",
     "asked without saying", "What would it contribute?"),
    ("Nor has anyone explained what would happen if the truce broke down.",
     "nobody knows", "What would happen if the truce broke down?"),
    ("The spokesman said no date had been agreed for the summit.",
     "no announcement", "What has been decided about the meeting?"),
    ("Asked whether she would stand again, the mayor paused.",
     "asked and evaded", "Would she stand again?"),
    ("Reporters had asked whether they occurred before the vote.",
     "asked without saying", "Did they occur before the vote?"),
    ("The Kremlin said a new round of talks would take place but did not give a date.",
     "no date given", "When will a new round of talks take place?"),
    ("Asked by the ABC how much the upgrade would now cost, a spokeswoman said figures would "
     "be published in due course.", "asked and evaded", "How much would the upgrade now cost?"),
]


@pytest.mark.parametrize(("text", "cue", "wording"), CUE_CASES,
                         ids=[c[0][:40] for c in CUE_CASES])
def test_each_cue_raises_a_question_with_a_direct_wording(text: str, cue: str,
                                                          wording: str) -> None:
    found = raised(text)
    assert [q.cue for q in found] == [cue]
    assert found[0].question == wording
    assert found[0].text == text


@pytest.mark.parametrize("text", [
    "The talks were confirmed by both governments.",
    "It is clear that the war will go on.",
    "He said he may visit the region in May.",
    "Trump confirmed the call on Tuesday.",
    "The minister answered every question about the budget.",
    "It is now clear who will lead the delegation.",
    "Voters were asked whether they trusted the government.",
    "When asked whether he would resign, the minister said no.",
])
def test_statements_of_fact_raise_no_question(text: str) -> None:
    assert raised(text) == []


@pytest.mark.parametrize(("text", "wording"), [
    ("Reporters asked whether the talks would begin before the U.S. election in November.",
     "Would the talks begin before the U.S. election in November?"),
    ("It remains unclear whether Mr. Sato will travel to the U.N. summit in Geneva.",
     "Will Mr. Sato travel to the U.N. summit in Geneva?"),
    ("It is not known when the U.K. embassy will reopen.",
     "When will the U.K. embassy reopen?"),
])
def test_an_abbreviations_full_stop_does_not_end_the_question(text: str, wording: str) -> None:
    assert [q.question for q in raised(text)] == [wording]


def test_explicit_questions_are_split_and_tidied() -> None:
    found = raised("Several questions remain: Who will pay for reconstruction? "
                   "And perhaps most importantly, when will refugees return?")
    assert [q.question for q in found] == ["Who will pay for reconstruction?",
                                           "When will refugees return?"]
    assert {q.cue for q in found} == {"explicit"}


def test_a_verbless_heading_question_becomes_is_there() -> None:
    assert [q.question for q in raised("A Deal Within Reach?")] == ["Is there a deal within reach?"]


@pytest.mark.parametrize("text", [
    "Asked whether he would attend, the minister said he would.",
    "People didn't really know what his plans were, but now they do.",
    "Is this a good deal? Yes, the minister insisted, it is.",
    "\u201cWhy should we give up our land?\u201d the mayor asked.",
    "\u201cIt is over, right?",
    "What next?",
    "What Lies Ahead?",
])
def test_rhetorical_quoted_and_empty_questions_are_skipped(text: str) -> None:
    assert raised(text) == []


def test_pronouns_are_written_out_with_the_resolved_name() -> None:
    text = "Trump did not say when his envoy met Putin."
    sent = Sentence(index=0, start=0, end=len(text), text=text)
    his = text.index("his")
    mentions = [*_mentions(text), Mention(sentence=0, start=his, end=his + 3, text="his",
                                          actor_id="trump", kind=MentionKind.PRONOUN)]
    article = CleanArticle(text=text, content_hash="h", published=PUBLISHED)
    found = questions.detect_questions(article, [sent], mentions, [])
    assert found[0].question == "When did Trump's envoy meet Putin?"
    assert set(found[0].actors) == {"trump", "putin"}


# --- merging -----------------------------------------------------------------------------------


def _one(text: str) -> RaisedQuestion:
    found = raised(text)
    assert len(found) == 1, found
    return found[0]


def test_one_question_in_different_words_merges() -> None:
    a = _one("It is unclear when Trump and Putin last spoke.")
    b = _one("The White House did not say when the phone call between Trump and Putin took place.")
    assert questions.same_question(a, b)


def test_whether_and_where_of_a_planned_meeting_merge() -> None:
    a = _one("Speculation is growing over whether Macron and Scholz will meet in the spring.")
    b = _one("It remains unclear where a possible meeting between Macron and Scholz would be held.")
    assert questions.same_question(a, b)


def test_when_it_happened_and_whether_it_is_confirmed_stay_apart() -> None:
    when = _one("Trump did not specify when his calls with Putin took place.")
    confirmed = _one("The call between Trump and Putin remains unconfirmed.")
    assert not questions.same_question(when, confirmed)


def test_the_same_question_about_other_people_stays_apart() -> None:
    a = _one("Speculation is mounting over whether Trump and Putin will meet.")
    b = _one("Speculation is mounting over whether Macron and Scholz will meet.")
    assert not questions.same_question(a, b)


def test_one_shared_actor_of_two_pairs_is_not_enough() -> None:
    a = _one("It is unclear what Trump and Putin discussed.")
    b = _one("It is unclear what Trump and Macron discussed.")
    c = _one("It is unclear what Trump discussed.")
    assert not questions.same_question(a, b)
    assert questions.same_question(a, c)


def test_stored_and_raised_questions_compare() -> None:
    a = _one("It is unclear when Trump and Putin last spoke.")
    stored = _stored(a)
    assert questions.same_question(stored, a)


# --- settling ----------------------------------------------------------------------------------


def _stored(q: RaisedQuestion, *, article_id: int = 1,
            published: datetime = PUBLISHED) -> StoredQuestion:
    ref = ArticleRef(id=article_id, published=published)
    return StoredQuestion(id=1, question=q.question, key=q.key, status=QuestionStatus.OPEN,
                          actors=q.actors, topics=q.topics, raised_in=(Cited(text=q.text,
                                                                             article=ref),),
                          first_seen=published, last_seen=published)


def _statement(text: str, *, about: tuple[str, ...] = ("trump", "putin"),
               speaker: str | None = None,
               certainty: Certainty = Certainty.CONFIRMED,
               kind: StatementKind = StatementKind.REPORTED_SPEECH, article_id: int = 2,
               published: datetime = PUBLISHED + timedelta(days=2)) -> StoredStatement:
    st = Statement(sentence=0, text=text, speaker=speaker, holder=speaker, about=about,
                   kind=kind, certainty=certainty, attribution=Attribution.ON_RECORD)
    return StoredStatement(id=7, statement=st, article=ArticleRef(id=article_id,
                                                                  published=published))


CALL = "The call between Trump and Putin remains unconfirmed."


def test_a_call_confirmed_by_both_sides_answers_whether_it_happened() -> None:
    q = _stored(_one(CALL))
    st = _statement("Trump and Putin spoke by phone on Monday, both governments confirmed.")
    assert questions.settles(q, st) == QuestionStatus.ANSWERED


def test_one_side_confirming_only_partly_answers() -> None:
    q = _stored(_one(CALL))
    st = _statement("Trump confirmed he had spoken with Putin.", speaker="trump")
    assert questions.settles(q, st) == QuestionStatus.PARTLY_ANSWERED


def test_the_silent_party_confirming_answers_its_question() -> None:
    q = _stored(_one("The Kremlin has not confirmed the call between Trump and Putin."))
    kremlin = _statement("The Kremlin confirmed that Putin and Trump spoke by phone.",
                         speaker="kremlin", about=("putin", "trump"))
    other = _statement("Trump confirmed he had spoken with Putin.", speaker="trump")
    assert questions.settles(q, kremlin) == QuestionStatus.ANSWERED
    assert questions.settles(q, other) == QuestionStatus.PARTLY_ANSWERED


def test_who_has_not_confirmed_does_not_keep_questions_apart() -> None:
    a = _one("The Kremlin has not confirmed the call between Trump and Putin.")
    b = _one("The call between Trump and Putin remains unconfirmed by the White House.")
    assert questions.same_question(a, b)


@pytest.mark.parametrize(("text", "about"), [
    ("The Kremlin denied that Putin had spoken with Trump.", ("trump", "putin")),
    ("It is still unclear whether Trump and Putin spoke.", ("trump", "putin")),
    ("Trump and Macron spoke by phone on Monday, both sides confirmed.", ("trump", "macron")),
    ("Trump and Putin may have spoken, officials believe.", ("trump", "putin")),
])
def test_denials_doubts_and_other_people_do_not_settle(text: str,
                                                       about: tuple[str, ...]) -> None:
    q = _stored(_one(CALL))
    assert questions.settles(q, _statement(text, about=about)) is None


def test_a_statement_from_the_raising_article_does_not_settle() -> None:
    q = _stored(_one(CALL), article_id=2)
    st = _statement("Trump and Putin spoke by phone, both governments confirmed.", article_id=2)
    assert questions.settles(q, st) is None


MEETING = "Speculation is mounting over whether Trump and Putin will meet."


def test_a_named_venue_partly_answers_a_planned_meeting() -> None:
    q = _stored(_one(MEETING))
    st = _statement("Trump said the first meeting with Putin could take place in Riyadh.",
                    speaker="trump")
    assert questions.settles(q, st) == QuestionStatus.PARTLY_ANSWERED


def test_a_speaker_meeting_someone_else_does_not_settle_their_meeting() -> None:
    q = _stored(_one(MEETING))
    st = _statement("\u201cI met Zelensky in Paris,\u201d Trump said.", speaker="trump",
                    about=("zelensky",), kind=StatementKind.DIRECT_QUOTE)
    assert questions.settles(q, st) is None


def test_a_meeting_fixed_in_place_and_time_answers_it() -> None:
    q = _stored(_one(MEETING))
    st = _statement("Trump and Putin will meet in Geneva on 16 June, the two governments "
                    "announced.")
    assert questions.settles(q, st) == QuestionStatus.ANSWERED


def test_a_date_after_the_question_does_not_say_when_past_contacts_were() -> None:
    q = _stored(_one("Trump did not specify when his calls with Putin took place."))
    later = _statement("Trump and Putin spoke by phone on 14 March 2025.")
    earlier = _statement("Trump and Putin first spoke by phone on 2 March 2025, aides said.")
    assert questions.settles(q, later) is None
    assert questions.settles(q, earlier) == QuestionStatus.ANSWERED


def test_who_initiated_is_answered_by_a_statement_naming_the_initiator() -> None:
    q = _stored(_one("It would be interesting to find out who initiated the call between "
                     "Trump and Putin."))
    st = _statement("Putin initiated the call with Trump, the Kremlin said.", speaker="kremlin")
    assert questions.settles(q, st) == QuestionStatus.ANSWERED


def test_who_leads_is_answered_by_reported_speech_naming_the_leader() -> None:
    q = _stored(_one("The Kremlin did not say who would lead the delegation."))
    st = _statement("A spokesman said the delegation would be led by Vladimir Medinsky.",
                    speaker="kremlin", about=("kremlin",))
    assert questions.settles(q, st) == QuestionStatus.ANSWERED


def test_a_future_question_needs_a_date_ahead_of_the_statement() -> None:
    q = _stored(_one("The Kremlin did not say when talks could begin."))
    past = _statement("The Kremlin confirmed on 12 March 2025 that it had received an invitation "
                      "to talks in Istanbul.", about=("kremlin",))
    ahead = _statement("Talks will be held in Istanbul on 20 March 2025, the Kremlin said.",
                       about=("kremlin",))
    assert questions.settles(q, past) == QuestionStatus.PARTLY_ANSWERED
    assert questions.settles(q, ahead) == QuestionStatus.ANSWERED


def test_a_question_naming_nobody_is_settled_only_about_its_articles_actors() -> None:
    q = _stored(_one("It remains unclear whether the talks will resume."))
    assert q.actors == ()  # a one-sentence article naming nobody: no context either
    named = _stored(raised("Trump and Putin spoke on Monday.",
                           "It remains unclear whether the talks will resume.")[0])
    elsewhere = _statement("Macron and Scholz will resume talks in Berlin on 20 March 2025.",
                           about=("macron", "scholz"))
    here = _statement("Trump and Putin will resume talks in Riyadh on 20 March 2025.")
    assert questions.settles(named, elsewhere) is None
    assert questions.settles(named, here) == QuestionStatus.ANSWERED


def test_what_was_discussed_is_partly_answered_by_a_participant_on_record() -> None:
    q = _stored(_one("Aides may be unaware of what Trump and Putin discussed."))
    quote = _statement("\u201cWe discussed energy and the war,\u201d Trump wrote.",
                       speaker="trump", kind=StatementKind.DIRECT_QUOTE, about=())
    analysis = _statement("Trump and Putin discussed energy, analysts believe.",
                          kind=StatementKind.ANALYSIS, certainty=Certainty.SPECULATIVE)
    assert questions.settles(q, quote) == QuestionStatus.PARTLY_ANSWERED
    assert questions.settles(q, analysis) is None


# --- staleness ---------------------------------------------------------------------------------


def test_questions_go_stale_after_the_set_days_without_news() -> None:
    q = _stored(_one(MEETING))
    assert not questions.is_stale(q, PUBLISHED + timedelta(days=questions.STALE_AFTER_DAYS))
    assert questions.is_stale(q, PUBLISHED + timedelta(days=questions.STALE_AFTER_DAYS + 1))


def test_answered_questions_never_go_stale() -> None:
    q = _stored(_one(MEETING)).model_copy(update={"status": QuestionStatus.ANSWERED})
    assert not questions.is_stale(q, PUBLISHED + timedelta(days=365))


# --- beyond the seeds: sentences in the style of wire copy --------------------------------------

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "questions"
# Floors for the wire-style sentence sets (tests/fixtures/questions): the product's target beyond
# the seeds is 0.7; these sets were tuned on, so they guard against regressions, not estimate.
WIRE_RECALL_FLOOR = 0.9
WIRE_FALSE_POSITIVE_CEILING = 0.1


@pytest.mark.parametrize("name", ["wire_sentences.yaml", "wire_sentences_2.yaml",
                                  "wire_sentences_3.yaml", "wire_sentences_4.yaml",
                                  "wire_sentences_5.yaml", "wire_sentences_6.yaml"])
def test_wire_style_sentences(name: str) -> None:
    labels = yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))
    missed = [t for t in labels["open"] if not raised(t)]
    wrong = [t for t in labels["closed"] if raised(t)]
    recall = 1 - len(missed) / len(labels["open"])
    false_positives = len(wrong) / len(labels["closed"])
    print(f"{name}: recall {recall:.2f}, false positives {false_positives:.2f}")
    assert recall >= WIRE_RECALL_FLOOR, missed
    assert false_positives <= WIRE_FALSE_POSITIVE_CEILING, wrong


# Cue forms of analysis and feature writing, and of broadcasters' and agencies' "no comment"
# lines, written for these tests (held-out work, see tests/heldout).
@pytest.mark.parametrize(("text", "cue", "wording"), [
    ("Yet nobody in the cabinet has explained what happens if the coalition collapses.",
     "nobody knows", "What happens if the coalition collapses?"),
    ("No one can say whether the truce will hold.", "declined to specify", "Will the truce hold?"),
    ("She did not address whether the envoy would travel to Moscow.", "declined to specify",
     "Would the envoy travel to Moscow?"),
    ("Questions also remain over the cost of the reconstruction plan.", "questions remain",
     "What is known about the cost of the reconstruction plan?"),
    ("That raises the question of whether the sanctions will be lifted.", "questions remain",
     "Will the sanctions be lifted?"),
    ("The big unknown is whether the Kremlin will accept the proposal.", "remains unclear",
     "Will the Kremlin accept the proposal?"),
    ("The venue for the summit remains up in the air.", "remains uncertain",
     "What is known about the venue for the summit?"),
    ("The fate of the aid package is anybody's guess.", "remains uncertain",
     "What is known about the fate of the aid package?"),
    ("The embassy could not be reached for comment.", "has not commented",
     "How will the embassy respond?"),
    ("A spokesman for the ministry was not available for comment.", "has not commented",
     "How will a spokesman for the ministry respond?"),
])
def test_feature_and_broadcast_cues(text: str, cue: str, wording: str) -> None:
    found = raised(text)
    assert [(q.cue, q.question) for q in found] == [(cue, wording)]


@pytest.mark.parametrize("text", [
    "Nobody who attended the meeting said it went badly.",
    "No one has said the war is over.",
    "The air was thick with tension over the border.",
    "The minister addressed the question of funding at length.",
])
def test_near_misses_of_the_feature_cues_raise_nothing(text: str) -> None:
    assert raised(text) == []


@pytest.mark.parametrize(("text", "cue", "wording"), [
    ("How many of the allies would send soldiers is far from obvious.", "remains uncertain",
     "How many of the allies would send soldiers?"),
    ("The date of the next round will be determined through diplomatic channels.",
     "remains uncertain", "What is known about the date of the next round?"),
    ("The venue will be decided later.", "remains uncertain", "What is known about the venue?"),
    ("It was not specified whether the sanctions were discussed.", "declined to specify",
     "Were the sanctions discussed?"),
])
def test_readout_formulas_of_what_is_left_open(text: str, cue: str, wording: str) -> None:
    assert [(q.cue, q.question) for q in raised(text)] == [(cue, wording)]


@pytest.mark.parametrize("text", [
    "The winner will be determined by a vote of members.",
    "The answer is obvious to everyone in the room.",
    "It was not said that the talks had failed.",
])
def test_settled_readout_formulas_raise_nothing(text: str) -> None:
    assert raised(text) == []


@pytest.mark.parametrize(("text", "cue", "wording"), [
    ("A follow-up meeting was possible, but no date or venue has been set.", "no announcement",
     "What has been decided about the meeting?"),
    ("Officials were unwilling to say whether the tariffs would apply to India.",
     "declined to specify", "Would the tariffs apply to India?"),
    ("The minister was reluctant to say when the troops would leave.", "declined to specify",
     "When would the troops leave?"),
])
def test_unwilling_to_say_and_no_date_or_venue(text: str, cue: str, wording: str) -> None:
    assert [(q.cue, q.question) for q in raised(text)] == [(cue, wording)]


def test_unwilling_to_compromise_is_a_position_not_a_question() -> None:
    assert raised("He was unwilling to compromise on the border.") == []


@pytest.mark.parametrize(("text", "cue", "wording"), [
    ("The White House has given no timeline for the talks.", "no timeline",
     "When will the talks happen?"),
    ("What remains murky is whether Beijing will press Moscow.", "remains unclear",
     "Will Beijing press Moscow?"),
    ("How the plan would be financed was not explained.", "remains undisclosed",
     "How would the plan be financed?"),
    ("Neither side has said who proposed the meeting.", "declined to specify",
     "Who proposed the meeting?"),
    ("The identity of the attackers has not been established.", "remains undisclosed",
     "What is the identity of the attackers?"),
])
def test_more_ways_news_says_something_is_not_known(text: str, cue: str, wording: str) -> None:
    assert [(q.cue, q.question) for q in raised(text)] == [(cue, wording)]


@pytest.mark.parametrize("text", [
    "The murky deal was signed on Monday.",
    "The facts were established by the court.",
    "The rules were explained to reporters.",
    "No country has said it will leave.",
])
def test_their_settled_look_alikes_raise_nothing(text: str) -> None:
    assert raised(text) == []


def test_how_many_with_nothing_after_asks_for_the_vague_count_before() -> None:
    found = raised("Police said they had detained several people but did not say how many.")
    assert [q.question for q in found] == ["How many people were detained?"]


def test_a_refusal_with_no_object_refuses_the_question_just_asked() -> None:
    found = raised("So what happens when the deadline passes?",
                   "Officials have been unwilling to say.")
    assert [(q.sentence, q.question) for q in found] == [
        (0, "What happens when the deadline passes?"),
        (1, "What happens when the deadline passes?")]
    assert found[0].key == found[1].key
    assert raised("The talks ended on Friday.", "Officials declined to say.") == []
