"""The actor registry: built-in actors of war and diplomacy news, discovery, forgiving lookup."""

from __future__ import annotations

from briefing.models import Actor, ActorKind

BUILTIN: tuple[Actor, ...] = (
    Actor(id="putin", name="Vladimir Putin", kind=ActorKind.PERSON, aliases=("Putin",)),
    Actor(id="trump", name="Donald Trump", kind=ActorKind.PERSON, aliases=("Trump",)),
)


class ActorRegistry:
    def __init__(self, actors: tuple[Actor, ...] | list[Actor] = BUILTIN) -> None:
        self.actors = {a.id: a for a in actors}

    def with_actors(self, extra: list[Actor]) -> ActorRegistry:
        return ActorRegistry([*self.actors.values(), *extra])

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def match(self, query: str, *, limit: int = 5) -> list[tuple[Actor, float]]:
        q = query.lower().strip()
        return [(a, 100.0) for a in self.actors.values()
                if q in (a.id, a.name.lower(), *(x.lower() for x in a.aliases))][:limit]
