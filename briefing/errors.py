"""The engine's error hierarchy; bot/ maps these to user-facing text."""


class BriefingError(Exception):
    """Base of every error the engine raises on purpose."""


class UsageError(BriefingError):
    """A command was malformed; the message says how to use it."""

    def __init__(self, message: str, *, usage: str | None = None) -> None:
        super().__init__(message)
        self.usage = usage


class NotFoundError(BriefingError):
    """Something the user named does not exist (a source id, an actor)."""


class PermissionDenied(BriefingError):
    """The user may not do this (only admins change sources and channel settings)."""


class InputError(BriefingError):
    """An input could not be read: an unreadable, binary or empty file, a broken feed."""


class FetchError(BriefingError):
    """A web source could not be fetched or was refused."""


class ArticleExists(BriefingError):
    """The store already has an article with this URL or text (raised by the insert itself)."""


class SchemaOutOfDate(BriefingError):
    """The database schema is behind the code."""
