"""Finds actor mentions, including pronouns and descriptions (placeholder)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefing.actors import ActorRegistry
from briefing.models import Actor, CleanArticle, Mention, Sentence


@dataclass
class Found:
    mentions: list[Mention]
    actors: list[Actor]
    registry: ActorRegistry
    extra: dict[str, object] = field(default_factory=dict)


def find_mentions(article: CleanArticle, sents: list[Sentence], *,
                  registry: ActorRegistry) -> Found:
    mentions: list[Mention] = []
    for s in sents:
        for actor in registry.actors.values():
            for alias in (actor.name, *actor.aliases):
                for m in re.finditer(rf"\b{re.escape(alias)}\b", s.text):
                    mentions.append(Mention(sentence=s.index, start=s.start + m.start(),
                                            end=s.start + m.end(), text=m.group(),
                                            actor_id=actor.id))
    ids = {m.actor_id for m in mentions}
    return Found(mentions=mentions, actors=[a for a in registry.actors.values() if a.id in ids],
                 registry=registry)
