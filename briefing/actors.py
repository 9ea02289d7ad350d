"""The actor registry: built-in actors of war and diplomacy news, discovery, forgiving lookup."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from briefing.models import Actor, ActorKind, Role

# --- the built-in registry ---------------------------------------------------------------------

P, ORG, C, G = ActorKind.PERSON, ActorKind.ORGANISATION, ActorKind.COUNTRY, ActorKind.GROUP
US, RU, UA = "united-states", "russia", "ukraine"
EUL = "european-leaders"


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _r(title: str, of: str | None = None, start: str | None = None,
       end: str | None = None) -> Role:
    return Role(title=title, of=of, start=_d(start), end=_d(end))


def _a(id_: str, name: str, kind: ActorKind, aliases: Iterable[str] = (),
       roles: Iterable[Role] = (), member_of: Iterable[str] = ()) -> Actor:
    return Actor(id=id_, name=name, kind=kind, aliases=tuple(aliases), roles=tuple(roles),
                 member_of=tuple(member_of))


BUILTIN: tuple[Actor, ...] = (
    # --- Russia
    _a("putin", "Vladimir Putin", P, ("Putin", "Vladimir Vladimirovich Putin"),
       (_r("president", RU, "2012-05-07"),), ("kremlin", RU)),
    _a("peskov", "Dmitry Peskov", P, ("Peskov", "Dmitri Peskov", "Dmitriy Peskov"),
       (_r("spokesman", "kremlin", "2012-05-22"), _r("press secretary", "kremlin", "2012-05-22")),
       ("kremlin",)),
    _a("ushakov", "Yuri Ushakov", P, ("Ushakov", "Yury Ushakov", "Yuriy Ushakov"),
       (_r("foreign policy adviser", "kremlin", "2012-05-21"), _r("aide", "kremlin")),
       ("kremlin",)),
    _a("lavrov", "Sergei Lavrov", P, ("Lavrov", "Sergey Lavrov"),
       (_r("foreign minister", RU, "2004-03-09"),), (RU,)),
    _a("zakharova", "Maria Zakharova", P, ("Zakharova",),
       (_r("spokeswoman", "russian-foreign-ministry", "2015-08-10"),), (RU,)),
    _a("kosachev", "Konstantin Kosachev", P, ("Kosachev",),
       # members of the Federation Council are senators ("the senator said")
       (_r("vice speaker", "federation-council"), _r("senator", "federation-council")), (RU,)),
    _a("slutsky", "Leonid Slutsky", P, ("Slutsky", "Slutskiy"),
       (_r("head of the international affairs committee", "state-duma"),), (RU,)),
    _a("medvedev", "Dmitry Medvedev", P, ("Medvedev", "Dmitri Medvedev"),
       (_r("president", RU, "2008-05-07", "2012-05-07"),
        _r("deputy chairman of the security council", RU, "2020-01-16")), (RU,)),
    _a("shoigu", "Sergei Shoigu", P, ("Shoigu", "Sergey Shoigu"),
       (_r("defense minister", RU, "2012-11-06", "2024-05-12"),
        _r("security council secretary", RU, "2024-05-12")), (RU,)),
    _a("belousov", "Andrei Belousov", P, ("Belousov", "Andrey Belousov"),
       (_r("defense minister", RU, "2024-05-14"),), (RU,)),
    _a("dmitriev", "Kirill Dmitriev", P, ("Kirill Dmitriev",),
       (_r("special envoy", RU, "2025-02-23"),), (RU,)),
    _a("nebenzia", "Vassily Nebenzia", P, ("Nebenzia", "Vasily Nebenzya"),
       (_r("ambassador to the un", RU, "2017-07-27"),), (RU,)),
    # --- Ukraine
    _a("zelensky", "Volodymyr Zelensky", P,
       ("Zelensky", "Zelenskyy", "Zelenskiy", "Zelenskyi", "Zelenski", "Volodymyr Zelenskyy",
        "Volodymyr Zelenskiy", "Vladimir Zelensky"),
       (_r("president", UA, "2019-05-20"),), (UA,)),
    _a("yermak", "Andriy Yermak", P, ("Yermak", "Andrii Yermak", "Andrei Yermak"),
       (_r("head of the presidential office", UA, "2020-02-11", "2025-11-28"),), (UA,)),
    _a("sybiha", "Andrii Sybiha", P, ("Sybiha", "Andriy Sybiha"),
       (_r("foreign minister", UA, "2024-09-05"),), (UA,)),
    _a("kuleba", "Dmytro Kuleba", P, ("Kuleba",),
       (_r("foreign minister", UA, "2020-03-04", "2024-09-05"),), (UA,)),
    _a("umerov", "Rustem Umerov", P, ("Umerov",),
       (_r("defense minister", UA, "2023-09-06", "2025-07-17"),), (UA,)),
    _a("shmyhal", "Denys Shmyhal", P, ("Shmyhal",),
       (_r("prime minister", UA, "2020-03-04", "2025-07-17"),), (UA,)),
    _a("zaluzhny", "Valerii Zaluzhnyi", P, ("Zaluzhny", "Zaluzhnyi", "Valery Zaluzhny"), (), (UA,)),
    _a("budanov", "Kyrylo Budanov", P, ("Budanov",), (), (UA,)),
    # --- United States
    _a("trump", "Donald Trump", P, ("Trump", "Donald J. Trump", "Donald John Trump"),
       (_r("president", US, "2017-01-20", "2021-01-20"),
        _r("president-elect", US, "2024-11-06", "2025-01-20"),
        _r("president", US, "2025-01-20")), (US, "white-house")),
    _a("biden", "Joe Biden", P, ("Biden", "Joseph Biden", "Joseph R. Biden"),
       (_r("president", US, "2021-01-20", "2025-01-20"),
        _r("vice president", US, "2009-01-20", "2017-01-20")), (US,)),
    _a("vance", "JD Vance", P, ("Vance", "J.D. Vance", "J. D. Vance"),
       (_r("vice president", US, "2025-01-20"),), (US, "white-house")),
    _a("harris", "Kamala Harris", P, ("Kamala Harris",),
       (_r("vice president", US, "2021-01-20", "2025-01-20"),), (US,)),
    _a("rubio", "Marco Rubio", P, ("Rubio",),
       (_r("secretary of state", US, "2025-01-21"),), (US, "state-department")),
    _a("blinken", "Antony Blinken", P, ("Blinken",),
       (_r("secretary of state", US, "2021-01-26", "2025-01-20"),), (US, "state-department")),
    _a("hegseth", "Pete Hegseth", P, ("Hegseth", "Peter Hegseth"),
       (_r("secretary of defense", US, "2025-01-25"), _r("defense secretary", US, "2025-01-25"),
        _r("pentagon chief", US, "2025-01-25"), _r("secretary of war", US, "2025-09-05")),
       (US, "pentagon")),
    _a("austin", "Lloyd Austin", P, ("Lloyd Austin",),
       (_r("secretary of defense", US, "2021-01-22", "2025-01-20"),
        _r("defense secretary", US, "2021-01-22", "2025-01-20")), (US, "pentagon")),
    _a("waltz", "Mike Waltz", P, ("Waltz", "Michael Waltz"),
       (_r("national security adviser", US, "2025-01-20", "2025-05-01"),
        _r("national security advisor", US, "2025-01-20", "2025-05-01")), (US, "white-house")),
    _a("sullivan", "Jake Sullivan", P, ("Jake Sullivan",),
       (_r("national security adviser", US, "2021-01-20", "2025-01-20"),), (US, "white-house")),
    _a("witkoff", "Steve Witkoff", P, ("Witkoff", "Steven Witkoff"),
       (_r("special envoy", US, "2025-01-20"),), (US,)),
    _a("kellogg", "Keith Kellogg", P, ("Kellogg",),
       (_r("special envoy for ukraine", US, "2025-01-20"),), (US,)),
    _a("leavitt", "Karoline Leavitt", P, ("Leavitt",),
       (_r("press secretary", "white-house", "2025-01-20"),), ("white-house",)),
    _a("gabbard", "Tulsi Gabbard", P, ("Gabbard",),
       (_r("director of national intelligence", US, "2025-02-12"),), (US,)),
    _a("driscoll", "Dan Driscoll", P, ("Driscoll",),
       (_r("army secretary", US, "2025-02-25"),), (US, "pentagon")),
    _a("kushner", "Jared Kushner", P, ("Kushner",), (), (US,)),
    # --- Europe
    _a("macron", "Emmanuel Macron", P, ("Macron",),
       (_r("president", "france", "2017-05-14"),), ("france", EUL)),
    _a("scholz", "Olaf Scholz", P, ("Scholz",),
       (_r("chancellor", "germany", "2021-12-08", "2025-05-06"),), ("germany", EUL)),
    _a("merz", "Friedrich Merz", P, ("Merz",),
       (_r("chancellor", "germany", "2025-05-06"),), ("germany", EUL)),
    _a("baerbock", "Annalena Baerbock", P, ("Baerbock",),
       (_r("foreign minister", "germany", "2021-12-08", "2025-05-06"),), ("germany", EUL)),
    _a("starmer", "Keir Starmer", P, ("Starmer",),
       (_r("prime minister", "united-kingdom", "2024-07-05"),), ("united-kingdom", EUL)),
    _a("lammy", "David Lammy", P, ("Lammy",),
       (_r("foreign secretary", "united-kingdom", "2024-07-05", "2025-09-05"),),
       ("united-kingdom", EUL)),
    _a("von-der-leyen", "Ursula von der Leyen", P, ("von der Leyen", "Von der Leyen"),
       (_r("president", "european-commission", "2019-12-01"),),
       ("european-commission", "european-union", EUL)),
    _a("kallas", "Kaja Kallas", P, ("Kallas",),
       (_r("foreign policy chief", "european-union", "2024-12-01"),
        _r("high representative", "european-union", "2024-12-01")), ("european-union", EUL)),
    _a("costa", "Antonio Costa", P, ("António Costa", "Costa"),
       (_r("president", "european-council", "2024-12-01"),), ("european-union", EUL)),
    _a("meloni", "Giorgia Meloni", P, ("Meloni",),
       (_r("prime minister", "italy", "2022-10-22"),), ("italy", EUL)),
    _a("tusk", "Donald Tusk", P, ("Tusk",),
       (_r("prime minister", "poland", "2023-12-13"),), ("poland", EUL)),
    _a("orban", "Viktor Orban", P, ("Orban", "Orbán", "Viktor Orbán"),
       (_r("prime minister", "hungary", "2010-05-29"),), ("hungary",)),
    _a("rutte", "Mark Rutte", P, ("Rutte",),
       (_r("secretary general", "nato", "2024-10-01"),), ("nato",)),
    _a("stoltenberg", "Jens Stoltenberg", P, ("Stoltenberg",),
       (_r("secretary general", "nato", "2014-10-01", "2024-10-01"),), ("nato",)),
    _a("guterres", "Antonio Guterres", P, ("Guterres", "António Guterres"),
       (_r("secretary general", "un", "2017-01-01"),), ("un",)),
    # --- elsewhere
    _a("xi", "Xi Jinping", P, ("Xi",), (_r("president", "china", "2013-03-14"),), ("china",)),
    # Chinese names put the surname first: "Wang said" is Wang Yi
    _a("wang-yi", "Wang Yi", P, ("Wang Yi", "Wang"), (_r("foreign minister", "china"),),
       ("china",)),
    _a("erdogan", "Recep Tayyip Erdogan", P, ("Erdogan", "Erdoğan", "Tayyip Erdogan"),
       (_r("president", "turkey", "2014-08-28"),), ("turkey",)),
    _a("mbs", "Mohammed bin Salman", P,
       ("MBS", "Mohammed bin Salman", "Mohammad bin Salman", "bin Salman"),
       (_r("crown prince", "saudi-arabia", "2017-06-21"),
        _r("prime minister", "saudi-arabia", "2022-09-27")), ("saudi-arabia",)),
    _a("modi", "Narendra Modi", P, ("Modi",),
       (_r("prime minister", "india", "2014-05-26"),), ("india",)),
    _a("lukashenko", "Alexander Lukashenko", P, ("Lukashenko",),
       (_r("president", "belarus", "1994-07-20"),), ("belarus",)),
    _a("netanyahu", "Benjamin Netanyahu", P, ("Netanyahu",),
       (_r("prime minister", "israel", "2022-12-29"),), ("israel",)),
    # --- organisations
    _a("kremlin", "Kremlin", ORG, ("the Kremlin", "Kremlin"), (), (RU,)),
    _a("white-house", "White House", ORG, ("the White House", "White House"), (), (US,)),
    _a("pentagon", "Pentagon", ORG, ("the Pentagon", "Pentagon", "Department of Defense",
                                   "Defense Department", "Department of War"), (), (US,)),
    _a("state-department", "State Department", ORG,
       ("State Department", "Department of State"), (), (US,)),
    _a("russian-foreign-ministry", "Russian Foreign Ministry", ORG,
       ("Russian Foreign Ministry", "Russia's Foreign Ministry"),
       (), (RU,)),
    _a("state-duma", "State Duma", ORG, ("State Duma", "Duma"), (), (RU,)),
    _a("federation-council", "Federation Council", ORG, ("Federation Council",), (), (RU,)),
    _a("nato", "NATO", ORG, ("NATO", "North Atlantic Alliance", "the Alliance"), ()),
    _a("european-union", "European Union", ORG, ("European Union", "EU", "the EU", "E.U."), (),
       (EUL,)),
    _a("european-commission", "European Commission", ORG, ("European Commission", "Brussels"), (),
       ("european-union", EUL)),
    _a("european-council", "European Council", ORG, ("European Council",), (),
       ("european-union", EUL)),
    _a("un", "United Nations", ORG, ("United Nations", "UN", "U.N.", "UN Security Council"), ()),
    _a("congress", "US Congress", ORG, ("Congress", "the Senate", "House of Representatives"), (),
       (US,)),
    _a("verkhovna-rada", "Verkhovna Rada", ORG, ("Verkhovna Rada", "Rada"), (), (UA,)),
    _a("ukrainian-presidential-office", "Office of the President of Ukraine", ORG,
       ("Office of the President of Ukraine", "Ukrainian presidential office",
        "Ukraine's presidential office"), (), (UA,)),
    # --- media (organisations too: useful for attribution)
    _a("tass", "TASS", ORG, ("TASS", "Tass"), ()),
    _a("ria-novosti", "RIA Novosti", ORG, ("RIA Novosti", "RIA"), ()),
    _a("interfax", "Interfax", ORG, ("Interfax",), ()),
    _a("reuters", "Reuters", ORG, ("Reuters",), ()),
    _a("ap", "Associated Press", ORG, ("Associated Press", "AP"), ()),
    _a("afp", "AFP", ORG, ("AFP", "Agence France-Presse"), ()),
    _a("washington-post", "The Washington Post", ORG, ("The Washington Post", "Washington Post",
                                                     "WaPo"), ()),
    _a("new-york-post", "New York Post", ORG,
       ("The New York Post", "New York Post", "NY Post"), ()),
    _a("new-york-times", "The New York Times", ORG, ("The New York Times", "New York Times",
                                                   "NYT"), ()),
    _a("wall-street-journal", "The Wall Street Journal", ORG,
       ("The Wall Street Journal", "Wall Street Journal", "WSJ"), ()),
    _a("bloomberg", "Bloomberg", ORG, ("Bloomberg",), ()),
    _a("politico", "Politico", ORG, ("Politico",), ()),
    _a("axios", "Axios", ORG, ("Axios",), ()),
    _a("cnn", "CNN", ORG, ("CNN",), ()),
    _a("bbc", "BBC", ORG, ("BBC",), ()),
    _a("fox-news", "Fox News", ORG, ("Fox News",), ()),
    _a("financial-times", "Financial Times", ORG, ("Financial Times", "FT"), ()),
    _a("the-guardian", "The Guardian", ORG, ("The Guardian",), ()),
    _a("nbc-news", "NBC News", ORG, ("NBC News", "NBC"), ()),
    _a("abc-news", "ABC News", ORG, ("ABC News",), ()),
    _a("cbs-news", "CBS News", ORG, ("CBS News", "CBS"), ()),
    _a("kyiv-independent", "The Kyiv Independent", ORG, ("Kyiv Independent",), ()),
    _a("ukrinform", "Ukrinform", ORG, ("Ukrinform",), ()),
    _a("truth-social", "Truth Social", ORG, ("Truth Social",), ()),
    # --- countries (capitals used for governments, as news English does; "the Russians said
    # no" is the side in talks, so the people's name counts only with its article)
    _a(RU, "Russia", C, ("Russia", "Russian Federation", "Moscow", "the Russians"), ()),
    _a(UA, "Ukraine", C, ("Ukraine", "Kyiv", "Kiev", "Kiyv", "the Ukrainians"), ()),
    _a(US, "United States", C, ("United States", "US", "U.S.", "USA", "America", "Washington",
                                "United States of America", "the Americans"), ()),
    _a("china", "China", C, ("China", "Beijing", "People's Republic of China"), ()),
    _a("saudi-arabia", "Saudi Arabia", C, ("Saudi Arabia", "Riyadh"), ()),
    _a("uae", "United Arab Emirates", C, ("United Arab Emirates", "UAE", "Abu Dhabi"), ()),
    _a("germany", "Germany", C, ("Germany", "Berlin"), (), (EUL,)),
    _a("france", "France", C, ("France", "Paris"), (), (EUL,)),
    _a("united-kingdom", "United Kingdom", C, ("United Kingdom", "Britain", "UK", "U.K.",
                                               "Great Britain", "London"), (), (EUL,)),
    _a("poland", "Poland", C, ("Poland", "Warsaw"), (), (EUL,)),
    _a("italy", "Italy", C, ("Italy", "Rome"), (), (EUL,)),
    _a("hungary", "Hungary", C, ("Hungary", "Budapest"), ()),
    _a("turkey", "Turkey", C, ("Turkey", "Türkiye", "Turkiye", "Ankara"), ()),
    _a("belarus", "Belarus", C, ("Belarus", "Minsk"), ()),
    _a("india", "India", C, ("India", "New Delhi"), ()),
    _a("israel", "Israel", C, ("Israel",), ()),
    _a("iran", "Iran", C, ("Iran", "Tehran"), ()),
    # --- groups
    _a("hamas", "Hamas", G, ("Hamas",), ()),
    _a(EUL, "European leaders", G,
       ("European leaders", "European powers", "European allies", "European partners",
        "European nations", "European governments", "European countries", "Europeans",
        "the Europeans", "European politicians"), ()),
    _a("western-allies", "Western allies", G,
       ("Western allies", "western allies", "Western partners", "the West", "Kyiv's allies",
        "Ukraine's allies", "G7"), ()),
)

# Aliases that name an actor in a user's query but are too loose to count as a mention in text
# ("peace returns to Europe" is not the European leaders speaking).
QUERY_ALIASES: dict[str, str] = {
    "europe": EUL, "eu leaders": EUL, "european union leaders": EUL, "the europeans": EUL,
    "russian president": "putin", "kremlin leader": "putin", "russian leader": "putin",
    "ukrainian president": "zelensky", "ukrainian leader": "zelensky",
    "us president": "trump", "american president": "trump", "potus": "trump",
    "mohammed bin salman": "mbs", "saudi crown prince": "mbs", "wapo": "washington-post",
    "pentagon chief": "hegseth", "defense secretary": "hegseth", "us": US, "usa": US,
    "uk": "united-kingdom", "eu": "european-union",
}

# News organisations: what they say is a media report, not a position of their own.
MEDIA: frozenset[str] = frozenset({
    "tass", "ria-novosti", "interfax", "reuters", "ap", "afp", "washington-post", "new-york-post",
    "new-york-times", "wall-street-journal", "bloomberg", "politico", "axios", "cnn", "bbc",
    "fox-news", "financial-times", "the-guardian", "nbc-news", "abc-news", "cbs-news",
    "kyiv-independent", "ukrinform",
})

FEMALE: frozenset[str] = frozenset({
    "zakharova", "harris", "leavitt", "gabbard", "baerbock", "von-der-leyen", "kallas", "meloni",
})

# Heads of state or government, in the order "the X leader" prefers them.
HEAD_TITLES: tuple[str, ...] = ("president", "chancellor", "prime minister", "crown prince",
                                "supreme leader", "king")

# Offices that speak for a country's head: "the Kremlin said" is the Russian president's position.
OFFICE_OF: dict[str, tuple[str, str]] = {
    "kremlin": ("president", RU),
    "white-house": ("president", US),
    "ukrainian-presidential-office": ("president", UA),
}

# Fuzzy scores below this are not offered. Single typos and transliterations score 85-95
# ("puttin"->"putin" 91, "zelenski"->"zelensky" 88); 72 still offers two-edit misspellings as
# suggestions ("zelenkyy") while unrelated names of similar length stay below it.
MATCH_CUTOFF = 72.0
# Queries this short match a key only one letter apart (a typo), not by partial overlap.
SHORT_QUERY = 6
# Answers of match() kept per registry (commands ask the same few names again and again; a
# fuzzy pass over every key costs about a millisecond). Cleared when full; a registry is
# rebuilt, with empty caches, when discovered actors are added (bot.commands.Deps).
MATCH_CACHE_SIZE = 2048


# Latin letters that Unicode does not decompose into a base letter and a mark (Polish ł,
# Scandinavian ø, Croatian đ, German ß): without this "Rafał" would fold to "rafa".
_UNDECOMPOSED = str.maketrans({"\u0142": "l", "\u0141": "L", "\u00f8": "o", "\u00d8": "O",
                               "\u0111": "d", "\u0110": "D", "\u00df": "ss", "\u00e6": "ae",
                               "\u00c6": "AE", "\u0153": "oe", "\u0152": "OE",
                               "\u0131": "i", "\u00fe": "th", "\u00de": "Th"})


def fold(text: str) -> str:
    """Lower case without accents or punctuation, for comparing names."""
    text = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def slug(name: str) -> str:
    return fold(name).replace(" ", "-") or "unknown"


def surname(name: str) -> str:
    parts = name.split()
    for i, part in enumerate(parts):  # "Ursula von der Leyen": the particle starts the surname
        if i > 0 and part.lower() in {"von", "van", "de", "der", "bin", "al", "da", "di"}:
            return " ".join(parts[i:])
    return parts[-1] if parts else name


def holds(role: Role, on: date | None) -> bool:
    """Whether the role was held on the date; with no date, whether it is held now (open end)."""
    if on is None:
        return role.end is None
    return (role.start is None or role.start <= on) and (role.end is None or on < role.end)


class ActorRegistry:
    """Actors by id, with forgiving lookup by name, alias, typo or role."""

    def __init__(self, actors: tuple[Actor, ...] | list[Actor] = BUILTIN) -> None:
        self.actors: dict[str, Actor] = {a.id: a for a in actors}
        self._index: tuple[list[str], list[str]] | None = None  # built on first match()
        self._known: frozenset[str] | None = None  # built on first discover()
        self._members: dict[str, set[str]] = {}
        # per-registry answers of match() and expand(): the registry does not change once built
        self._matched: dict[tuple[str, int], tuple[tuple[Actor, float], ...]] = {}
        self._expanded: dict[str, frozenset[str]] = {}
        for a in self.actors.values():
            for parent in a.member_of:
                self._members.setdefault(parent, set()).add(a.id)

    def _keys(self) -> tuple[list[str], list[str]]:
        if self._index is None:
            keys: list[str] = []
            ids: list[str] = []
            for a in self.actors.values():
                names = {a.id.replace("-", " "), a.name, *a.aliases}
                if a.kind is ActorKind.PERSON:
                    names.add(surname(a.name))
                for n in names:
                    key = fold(n)
                    if key:
                        keys.append(key)
                        ids.append(a.id)
            self._index = (keys, ids)
        return self._index

    def known_names(self) -> frozenset[str]:
        """Folded names, aliases and surnames of every actor, to tell new names from known."""
        if self._known is None:
            self._known = frozenset(
                fold(n) for a in self.actors.values()
                for n in (a.name, *a.aliases,
                          surname(a.name) if a.kind is ActorKind.PERSON else a.name))
        return self._known

    def with_actors(self, extra: list[Actor]) -> ActorRegistry:
        return ActorRegistry([*self.actors.values(), *extra])

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def expand(self, actor_id: str) -> set[str]:
        """The actor and every actor that speaks for or belongs to it, transitively.

        kremlin -> Putin, Peskov, Ushakov; european-leaders -> Macron, Scholz, Baerbock, the EU
        and its officials; russia -> the Kremlin and everyone in it, Lavrov, the Duma. A person
        expands to themself only: Putin's stance is not Peskov's.
        """
        cached = self._expanded.get(actor_id)
        if cached is None:
            out = {actor_id}
            todo = [actor_id]
            while todo:
                for member in self._members.get(todo.pop(), ()):
                    if member not in out:
                        out.add(member)
                        todo.append(member)
            cached = self._expanded[actor_id] = frozenset(out)
        return set(cached)

    def holder_of(self, title: str, of: str | None, on: date | None) -> Actor | None:
        """Who held the title (of the country or body) on the date."""
        titles = HEAD_TITLES if title == "leader" else (title,)
        for t in titles:
            for a in self.actors.values():
                if a.kind is not ActorKind.PERSON:
                    continue
                for role in a.roles:
                    if role.title == t and (of is None or role.of == of) and holds(role, on):
                        return a
        return None

    def match(self, query: str, *, limit: int = 5) -> list[tuple[Actor, float]]:
        """Actors the query names, best first, scored 0..100: ids, names, aliases, surnames,
        typos, transliterations and roles ("the Russian president")."""
        cached = self._matched.get((query, limit))
        if cached is None:
            if len(self._matched) >= MATCH_CACHE_SIZE:
                self._matched.clear()
            cached = self._matched[(query, limit)] = tuple(self._match(query, limit=limit))
        return list(cached)

    def _match(self, query: str, *, limit: int) -> list[tuple[Actor, float]]:
        q = fold(query)
        if not q:
            return []
        q_nothe = re.sub(r"^the ", "", q)
        scores: dict[str, float] = {}
        if q in self.actors:
            scores[q] = 100.0
        alias_id = QUERY_ALIASES.get(q) or QUERY_ALIASES.get(q_nothe)
        if alias_id and alias_id in self.actors:
            scores[alias_id] = 100.0
        keys, key_ids = self._keys()
        for key, actor_id in zip(keys, key_ids, strict=True):
            if key in (q, q_nothe):
                scores[actor_id] = 100.0
        if not scores:
            from briefing.mentions import resolve_description  # lazy: mentions imports actors
            described = resolve_description(q_nothe, registry=self, on=None)
            if described is not None:
                scores[described] = 99.0
        for key, score, idx in process.extract(q_nothe, keys, scorer=fuzz.WRatio,
                                               limit=limit * 4, score_cutoff=MATCH_CUTOFF):
            actor_id = key_ids[idx]
            # short keys ("us", "ap") only count when typed exactly, and a short query only
            # as a typo of one letter: "putn" is Putin, "plan" is not Poland
            if len(key) <= 3 and key != q_nothe:
                continue
            if len(q_nothe) <= SHORT_QUERY and Levenshtein.distance(q_nothe, key) > 1:
                continue
            # WRatio rewards partial overlap; the plain ratio keeps "trump" above "trumpet"
            score = min(score, 0.5 * score + 0.5 * fuzz.ratio(q_nothe, key))
            if score >= MATCH_CUTOFF and score > scores.get(actor_id, 0.0):
                scores[actor_id] = score
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [(self.actors[i], round(s, 1)) for i, s in ranked]


# --- discovery ---------------------------------------------------------------------------------

_NAME_WORD = r"[A-Z][a-z\u00e0-\u00ff]+(?:[-'][A-Z]?[a-z\u00e0-\u00ff]+)?"
_PERSON_NAME = (rf"{_NAME_WORD}(?:\s+[A-Z]\.)?"
                rf"(?:\s+(?:van|von|de|der|bin|al|da|di)?\s*{_NAME_WORD}){{1,2}}")

_TITLE_WORDS = (
    r"(?:Foreign|Defen[cs]e|Prime|Deputy|Vice|Interior|Finance|Economy|Energy|Justice|"
    r"Security|State|Army|Navy|Chief|Special|Press|Senior|First|Former|former)?\s*"
    r"(?:President|Minister|Secretary|Chancellor|Senators?|Sens?\.|Reps?\.|Representatives?|"
    r"Governor|Gov\.|Mayor|Speaker|General|Gen\.|Admiral|Adm\.|Colonel|Col\.|Ambassador|"
    r"Envoy|envoy|spokesman|spokeswoman|spokesperson|Spokesman|Spokeswoman|adviser|advisor|"
    r"Adviser|Advisor|aide|Director|director|Commissioner|Chairman|Chair|chairman|"
    r"Premier|Lawmaker|lawmaker|MP|Deputy|deputy|analyst|Professor|professor|"
    r"Commander|commander|Judge|Justice|Leader|leader|Chief|chief|head|Head|official|"
    r"correspondent|reporter|editor|negotiator|Negotiator|diplomat|researcher|expert|"
    r"economist|Pope|Cardinal|King|Queen|Prince|Princess|Sheikh|Archbishop|counterpart|"
    r"Taoiseach|T\u00e1naiste|Tanaiste|Emir|Sultan|candidate|Candidate|Republican|Democrat|"
    r"Councilmember|Councilman|Councilwoman|Alderman|Assemblymember|"
    # an appositive writes the title in lower case: "Jordan Bardella, president of the RN"
    r"president|minister|secretary|chancellor|senator|governor|mayor|ambassador|premier|"
    r"Counterpart)"
)
_SPEECH_VERBS = (
    r"(?:said|says|told|tells|wrote|writes|noted|notes|added|adds|stated|states|stressed|"
    r"insisted|warned|argued|explained|claimed|asked|remarked|declared|announced|acknowledged|"
    r"emphasi[sz]ed|commented|replied|responded|suggested|confirmed|denied|tweeted|posted)"
)
# The longest aside between a name and its speech verb ("X, who leads the committee, said").
ASIDE_CHARS = 80
_CAP_RUN = re.compile(
    r"\b[A-Z](?:\.(?=\s+[A-Z])|[\w\u2019'-]*)(?:\s+(?:[A-Z]\.|[A-Z][\w\u2019'-]*|van|von|de|der|bin|al|da|di)"
    r"(?![\w\u2019'-]))*")
_TITLE_BEFORE = re.compile(rf"(?P<title>{_TITLE_WORDS}),?\s+$", re.IGNORECASE)
# "special envoy for Eurasian affairs, Li Hui": a title with a short complement, then a comma
_TITLE_COMPLEMENT = re.compile(
    rf"(?P<title>{_TITLE_WORDS})\s+(?:for|of|to|on)\s+[\w'\u2019 -]{{1,40}}?,\s+$",
    re.IGNORECASE)
_TITLE_AFTER = re.compile(  # ", a senior adviser", ", director of the centre", ", who leads"
    rf",\s+(?:(?:the|a|an|who\s+is)\s+(?:[\w'\u2019-]+\s+){{0,5}}?|(?:[\w'\u2019-]+\s+){{0,2}}?)"
    rf"(?P<title>{_TITLE_WORDS})\b|,\s+who\s+(?P<office>leads|heads|chairs|runs)\s")
# Between a name and its speech verb: a party tag ("Sen. Carol Lindqvist (R-S.D.) said"), a
# place or party it is "of" ("Jaak Torm of the Centre Party warned"), an aside.
_SPEECH_AFTER = re.compile(
    r"(?:\s*\([^()\n]{1,24}\))?"
    r"(?:\s+(?:of|from)\s+(?:the\s+)?[A-Z][\w'\u2019.-]*"
    r"(?:\s+(?:of\s+|for\s+|and\s+)?[A-Z][\w'\u2019.-]*){0,4})?"
    rf"(?:,\s+(?:who|the|a|an)\b[^,.;\u201c\u201d\"]{{1,{ASIDE_CHARS}}},)?"
    rf"\s+(?:has\s+|had\s+|also\s+)?{_SPEECH_VERBS}\b")
# An American legislator's party and state after the name: "(R-ID)", "(D-N.H.)", "(I-Vt.)".
_PARTY_TAG = re.compile(r"\s*\((?:R|D|I)\s*[-\u2013]\s*[A-Z][A-Za-z.]{0,8}\)")
_SPEECH_BEFORE = re.compile(rf"\b(?:{_SPEECH_VERBS}|according\s+to)\s+$")
_TITLE_WORD = re.compile(rf"^{_TITLE_WORDS}$")
# How far a title or a speech verb may sit from the name it introduces.
CONTEXT_CHARS = 60

# Capitalised title words that lead a name ("Senate Majority Leader John Thune") and are not
# part of it. "Major" is left out on purpose: it is also a surname.
_TITLE_PREFIXES = frozenset({
    "Senator", "Senate", "Majority", "Minority", "Leader", "Governor", "Mayor", "Ambassador",
    "Envoy", "Spokesman", "Spokeswoman", "Spokesperson", "Adviser", "Advisor", "Commissioner",
    "Chairman", "Chairwoman", "Chair", "Premier", "Judge", "Justice", "Admiral", "Colonel",
    "Lieutenant", "Captain", "Sergeant", "Representative", "Congressman", "Congresswoman",
    "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Adm", "Sgt", "Capt", "Professor", "Prof",
    "Chief", "Special", "Senior", "Former", "Acting", "Interim", "Opposition", "Shadow",
    "Attorney", "Treasury", "Commerce", "Economy", "Finance", "Interior", "Health", "Trade",
    "Army", "Navy", "Pope", "King", "Queen", "Prince", "Princess", "Sheikh", "Lord", "Sir",
    "Dame", "Republican", "Democrat", "Democratic", "Labour", "Conservative", "Minister",
    "Taoiseach", "T\u00e1naiste", "Tanaiste", "Emir", "Sultan", "Independent",
    "President", "Secretary", "Chancellor", "General", "Speaker", "Deputy", "Director",
    "MP", "MEP", "MK", "Lawmaker", "Legislator", "Councillor", "Councilor", "Under",
    "Liberal", "Green", "Candidate", "Councilmember", "Councilman", "Councilwoman",
    "Alderman", "Assemblymember",
    # a press release's plural titles: "U.S. Senators Jeanne Shaheen (D-NH) and Jim Risch"
    "Senators", "Sens", "Representatives", "Reps",
})

# Capitalised words that start or fill a "name" but are not part of a person's name.
_NOT_NAME_WORDS = frozenset({
    "The", "A", "An", "In", "On", "At", "As", "But", "And", "Or", "If", "When", "While", "After",
    "Before", "During", "Since", "Although", "However", "Meanwhile", "Yet", "So", "Then", "Also",
    "This", "That", "These", "Those", "His", "Her", "Their", "Its", "Our", "My", "Your", "He",
    "She", "They", "We", "It", "I", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December", "President", "Minister",
    "Secretary", "Chancellor", "General", "Foreign", "Defense", "Defence", "State", "White",
    "House", "Kremlin", "Office", "Ministry", "Department", "Council", "Committee", "Party",
    "National", "Security", "News", "Post", "Times", "Journal", "Agency", "Press", "Air",
    "Force", "One", "Truth", "Social", "Oval", "Commission", "Union", "Parliament", "Duma",
    "Speaker", "Vice", "Prime", "Deputy", "Director", "Intelligence", "Russian", "Ukrainian",
    "American", "European", "German", "French", "British", "Chinese", "Western", "Soviet",
    "Federation", "Republic", "Kingdom", "United", "Nations", "Revolution", "Prize", "Middle",
    "East", "Artificial", "Energy", "Dollar", "Sources", "Reports", "Officials", "Analysts",
    "Experts", "Observers", "Asked", "Responding", "According", "Despite", "Both", "Such",
    "Many", "Some", "Several", "Every", "Each", "Other", "Another", "What", "Who", "Why", "How",
    "Where", "Which", "Whether", "Thus", "Still", "Now", "Today", "Yesterday", "Earlier", "Later",
    "Mr", "Mrs", "Ms", "Dr", "Full", "Read", "Leave", "Add", "Figures", "Notably", "Historically",
    "Saudi", "Arabia", "Emirates", "Arab", "Ukraine", "Russia", "Europe", "Europeans", "America",
    "Washington", "Moscow", "Kyiv", "Kiev", "Beijing", "Paris", "London", "Berlin", "Brussels",
    "Telegram", "Politico", "Reuters", "Bloomberg", "Maidan", "Crimea", "Donbas", "NATO",
    "Elections",
} | _TITLE_PREFIXES)


# A person's name is at most this many words, besides particles ("Mohammed bin Abdulrahman Al
# Thani" has four and two particles).
MAX_NAME_WORDS = 4
_PARTICLES = frozenset({"van", "von", "de", "der", "bin", "al", "Al", "da", "di", "ibn", "El"})
# Given names this alike are one name transliterated (Sergei, Sergey): the same known person.
SAME_GIVEN_NAME = 70


def _other_given_name(registry: ActorRegistry, name: str) -> bool:
    """Whether `name` shares its surname with known people but none of their given names:
    "Simon Harris" is not "Kamala Harris"."""
    given_by_surname: dict[str, set[str]] | None = getattr(registry, "_given_names", None)
    if given_by_surname is None:
        given_by_surname = {}
        for a in registry.actors.values():
            for n in (a.name, *a.aliases):
                parts = n.split()
                if len(parts) < 2:
                    continue
                key = fold(surname(n)) if a.kind is ActorKind.PERSON else fold(n)
                # an organisation or a place with that name is never someone's given name
                given_by_surname.setdefault(key, set()).add(
                    fold(parts[0]) if a.kind is ActorKind.PERSON else "")
            if a.kind is not ActorKind.PERSON:
                given_by_surname.setdefault(fold(a.name), set()).add("")
        registry._given_names = given_by_surname  # type: ignore[attr-defined]
    parts = name.split()
    if len(parts) > 3 or (len(parts) == 3 and not re.fullmatch(r"[A-Z]\.", parts[1])):
        return False  # "Peace Talks Trump": a headline run, not a given name and a surname
    first = fold(parts[0])
    known = given_by_surname.get(fold(surname(name)))
    if not known or "" in known or len(first) < 2:
        return False  # an unknown shape, a non-person, or an initial: treat it as known
    return all(fuzz.ratio(first, g) < SAME_GIVEN_NAME for g in known)


def _plausible_name(name: str) -> bool:
    words = name.replace(".", " ").split()
    if len(words) < 2 or words[0] in _NOT_NAME_WORDS or words[-1] in _NOT_NAME_WORDS:
        return False
    return not any(w in _NOT_NAME_WORDS for w in words[1:-1] if len(w) > 1)


# Adjectives of nationality news puts before a title ("Turkish Foreign Minister Hakan Fidan"),
# with the registry's country each names.
_DEMONYMS = {
    "russian": RU, "ukrainian": UA, "american": US, "turkish": "turkey",
    "german": "germany", "french": "france", "british": "united-kingdom", "polish": "poland",
    "italian": "italy", "hungarian": "hungary", "chinese": "china", "indian": "india",
    "israeli": "israel", "iranian": "iran", "saudi": "saudi-arabia", "belarusian": "belarus",
    "emirati": "uae",
}
# Titles of a government's office: who holds one speaks for the country it names.
_GOVERNMENT_TITLE = re.compile(
    r"\b(?:minister|ministry|spokes(?:man|woman|person)|ambassador|envoy|president|premier|"
    r"chancellor|foreign\s+secretary|government)\b", re.IGNORECASE)
_NATION_BEFORE = re.compile(
    r"\b(?P<word>russian|ukrainian|american|turkish|german|french|british|polish|"
    r"italian|hungarian|chinese|indian|israeli|iranian|saudi|belarusian|emirati)\b"
    r"|\b(?P<owner>[A-Z][\w\u00fc.-]+)['\u2019]s\b", re.IGNORECASE)


# "Foreign Ministry spokesperson", "Deputy Prime Minister for European Integration": the most
# words a title puts between the nationality and the name.
MAX_TITLE_WORDS = 5


def _office_country(title: str, before: str, registry: ActorRegistry) -> str | None:
    """The country a government title names right before the name ("Hungarian Foreign
    Minister", "Ukraine's ambassador"), when the registry knows it; else None. A counterpart
    of someone is not their country's official."""
    if not _GOVERNMENT_TITLE.search(title) or "counterpart" in title.lower():
        return None
    # the nationality in the phrase that leads to the name, not past a full stop or a comma
    # ("In Beijing, Chinese Foreign Ministry spokesperson"; "Russia's fleet, Defence Minister")
    parts = re.split(r"[.;:!?\n]", before)[-1].split(",")
    # "China's special envoy for Eurasian affairs, Li Hui": the title, then a comma
    tail = parts[-2] if len(parts) > 1 and not parts[-1].strip() else parts[-1]
    found = None
    for m in _NATION_BEFORE.finditer(tail):
        found = m
    if found is None or len(tail[found.end():].split()) > MAX_TITLE_WORDS:
        return None
    if found.group("word"):
        country: str | None = _DEMONYMS.get(found.group("word").lower())
    else:
        hits = registry.match(found.group("owner"))
        country = next((a.id for a, score in hits[:1]
                        if a.kind is ActorKind.COUNTRY and score >= 95), None)
    return country if country and registry.get(country) else None


def discover(text: str, registry: ActorRegistry) -> list[Actor]:
    """People named in the text beside a title or a speech verb who are not in the registry.

    Each gets a slug id from the full name, discovered=True and the surname as an alias, so a
    later "Slutsky said" or `/stance slutsky nato` finds them.
    """
    known_names = registry.known_names()
    found: dict[str, Actor] = {}
    pending: dict[str, str] = {}
    for m in _CAP_RUN.finditer(text):
        if " " not in m.group():
            continue  # one capitalised word is not a full name
        words = re.sub(r"[\u2019']s$", "", m.group()).split()
        prefix: list[str] = []
        while len(words) > 2 and words[0].endswith(("'s", "\u2019s")):
            words.pop(0)  # "Labour's Emily Thornberry", "Britain's Foreign Secretary ..."
        while len(words) > 2 and words[0] in _NOT_NAME_WORDS:
            prefix.append(words.pop(0))  # "Foreign Minister Sergei Lavrov"
        # "External Affairs Minister S. Jaishankar": a title word inside the run ends the title
        # "Financial Intelligence Laura Whitcomb": so does an office's word ("Intelligence")
        cut = max((i for i, w in enumerate(words[:-2]) if w.rstrip(".") in _TITLE_PREFIXES
                   or (w in _NOT_NAME_WORDS and len(w) > 1)), default=-1)
        if cut >= 0:
            prefix.extend(words[:cut + 1])
            words = words[cut + 1:]
        while len(words) > 2 and words[-1] in _NOT_NAME_WORDS:
            words.pop()
        particles = sum(1 for w in words if w in _PARTICLES)
        if len(words) > MAX_NAME_WORDS + particles or not _plausible_name(" ".join(words)):
            continue
        name = " ".join(words)
        if fold(name) in known_names:
            continue
        if fold(surname(name)) in known_names and (
                words[0].endswith(("'s", "\u2019s"))
                # a capitalised word opening a sentence or a headline is no given name
                # ("Unlike Trump", "For Putin")
                or (not prefix and text[:m.start()].rstrip()[-1:] in {"", ".", "!", "?", "\n"})
                or not _other_given_name(registry, name)):
            continue
        actor_id = slug(name)
        if actor_id in registry.actors:
            continue
        start = m.start() + m.group().find(words[0])
        end = start + len(name) if text.startswith(name, start) else m.end()
        title: str | None = " ".join(prefix) if prefix and _TITLE_WORD.match(prefix[-1]) else None
        before = text[max(0, start - CONTEXT_CHARS):start]
        after = text[end:end + CONTEXT_CHARS * 2]
        if title is None and _PARTY_TAG.match(after):
            title = "lawmaker"  # "Jim Risch (R-ID)", "Richard Blumenthal (D-CT)" in a list
        if title is None:
            t = _TITLE_BEFORE.search(before) or _TITLE_AFTER.match(after)
            if t is None and before.rstrip().endswith(","):
                t = _TITLE_COMPLEMENT.search(before)
            title = (t.group("title") or "leader") if t else None
        # "said Dr Helen Marsh", "told Foreign Minister Hakan Fidan": the verb before the title
        run_before = text[max(0, m.start() - CONTEXT_CHARS):m.start()] if prefix else before
        if title is None and not (_SPEECH_AFTER.match(after) or _SPEECH_BEFORE.search(before)
                                  or _SPEECH_BEFORE.search(run_before)):
            if actor_id not in pending or pending[actor_id].isupper():
                pending[actor_id] = name  # may still speak later by surname
            continue
        roles = (Role(title=re.sub(r"\s+", " ", title.strip().lower())),) if title else ()
        country = _office_country(title, before, registry) if title else None
        prev = found.get(actor_id)
        if prev is not None:
            if roles and not prev.roles:
                found[actor_id] = prev.model_copy(update={"roles": roles})
            if country and not prev.member_of:
                found[actor_id] = found[actor_id].model_copy(update={"member_of": (country,)})
            continue
        found[actor_id] = Actor(id=actor_id, name=name, kind=ActorKind.PERSON,
                                aliases=(surname(name),), roles=roles, discovered=True,
                                member_of=(country,) if country else ())
    for actor_id, name in pending.items():
        if actor_id not in found and (_speaks_by_surname(text, surname(name)) or (
                not name.isupper() and _opens_a_turn(text, name))):
            found[actor_id] = Actor(id=actor_id, name=name, kind=ActorKind.PERSON,
                                    aliases=(surname(name),), discovered=True)
    for actor_id, actor in found.items():
        # "Li Hui ... Li told his hosts": a family name written first (Chinese, Korean,
        # Hungarian order), or a first name in a feature, speaks on its own
        first = actor.name.split()[0]
        last = surname(actor.name)
        if (len(actor.name.split()) == 2 and len(first) > 1 and first not in _NOT_NAME_WORDS
                # cheap counts first: the first word alone at least once, the surname never
                and text.count(first) > text.count(actor.name) >= text.count(last)
                and fold(first) not in known_names
                and (_speaks_by_surname(text, first, rest=last)
                     or (_alone(text, first, last) and not _alone(text, last, None)))):
            found[actor_id] = actor.model_copy(update={"aliases": (*actor.aliases, first)})
    return list(found.values())


_FEMALE_MARK = r"(?:Ms|Mrs|Miss|Madam|Dame|Lady)\.?|[Ss]pokeswoman|[Cc]hairwoman|[Cc]ongresswoman"
_MALE_MARK = r"(?:Mr|Sir|Lord)\.?|[Ss]pokesman|[Cc]hairman|[Cc]ongressman"


_GENDER_MARK = re.compile(
    rf"\b(?:(?P<female>{_FEMALE_MARK})|(?P<male>{_MALE_MARK}))\s+"
    r"(?P<name>[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*){0,3})")


def text_genders(text: str, actors: Iterable[Actor]) -> dict[str, bool]:
    """Which discovered people the text shows as women (True) or men (False): a courtesy title
    or a gendered title right before the name ("Ms Shah", "spokeswoman Anna Ivanova"). People
    it shows as neither, or as both, are left out. One pass over the text for all of them."""
    marks: list[tuple[bool, list[str]]] = [
        (m.group("female") is not None, m.group("name").split())
        for m in _GENDER_MARK.finditer(text)]
    out: dict[str, bool] = {}
    if not marks:
        return out
    for actor in actors:
        last = surname(actor.name).split()
        seen = {female for female, words in marks
                if any(words[i:i + len(last)] == last for i in range(len(words)))}
        if len(seen) == 1:
            out[actor.id] = seen.pop()
    return out


def text_gender(text: str, actor: Actor) -> bool | None:
    """text_genders for one person: True, False, or None when the text does not say."""
    return text_genders(text, [actor]).get(actor.id)


def _alone(text: str, word: str, rest: str | None) -> bool:
    """Whether `word` stands on its own in the text at least once: not before `rest` (the
    rest of the name), nor after another capitalised word of the name."""
    after = rf"(?!\s+{re.escape(rest)}\b)" if rest else ""
    for m in re.finditer(rf"\b{re.escape(word)}\b{after}", text):
        if not re.search(r"[A-Z][\w'\u2019-]*\s+$", text[max(0, m.start() - 30):m.start()]):
            return True
    return False


def _opens_a_turn(text: str, name: str) -> bool:
    """Whether a transcript turn opens with the full name, as a title, a party tag or a role
    may dress it ("MYKOLA DANYLENKO: ...", "SEN. ROGER HALLORAN (R-OH): ...")."""
    return re.search(rf"^(?:\*\*|__)?(?:(?:SEN|REP|GOV|DR|MR|MRS|MS)\.?\s+)?{re.escape(name)}"
                     r"(?:\s*\([^()\n]{1,24}\))?(?:,[^:\n]{1,40})?(?:\*\*|__)?:",
                     text, re.MULTILINE | re.IGNORECASE) is not None


def _speaks_by_surname(text: str, last: str, *, rest: str = "") -> bool:
    """A full name given once, then "…, Kovalchuk said": the surname beside a speech verb.
    With `rest`, the word must stand alone, not before it ("Li told", not "said Li Hui")."""
    alone = rf"(?!\s+{re.escape(rest)}\b)" if rest else ""
    if not rest and re.search(rf"^(?:\*\*|__)?{re.escape(last)}(?:\*\*|__)?:(?:\*\*|__)?\s",
                              text, re.MULTILINE | re.IGNORECASE):
        return True  # a transcript or Q&A turn: "HAVRYLENKO: ...", "**Havrylenko:** ..."
    for m in re.finditer(rf"\b{re.escape(last)}\b{alone}", text):
        if (_SPEECH_AFTER.match(text, m.end())
                or _SPEECH_BEFORE.search(text[max(0, m.start() - CONTEXT_CHARS):m.start()])):
            return True
    return False
