"""Which mode `briefbot serve` picks, the app factory's lack of side effects, the users cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient

from bot import bootstrap
from bot import server as bot_server
from bot.app import SLASH_COMMANDS, build_app
from bot.commands import COMMANDS
from briefing.errors import UsageError
from tests.slack.conftest import ADMIN, MEMBER, WORKSPACE_ADMIN, make_settings, seed_store
from tests.slack.fake_slack import FakeSlack
from tests.slack.limits import assert_within_slack_limits, pings
from tests.slack.slackhttp import SlackSender, running_server


class Recorder:
    """Stands in for SocketModeHandler or uvicorn.run: records how it was called."""

    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        Recorder.calls.append(("SocketModeHandler", args, kwargs))

    def start(self) -> None:
        Recorder.calls.append(("start", (), {}))


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[Any, ...],
                                                             dict[str, Any]]]:
    Recorder.calls = []
    monkeypatch.setattr(bot_server, "SocketModeHandler", Recorder)
    monkeypatch.setattr(bot_server.uvicorn, "run",
                        lambda *a, **k: Recorder.calls.append(("uvicorn.run", a, k)))
    return Recorder.calls


def _container(store_url: str, fake: FakeSlack, **overrides: object) -> bootstrap.Container:
    return bootstrap.build(make_settings(store_url, fake, **overrides))


def test_an_app_token_selects_socket_mode(recorded: list[Any], store_url: str,
                                          fake: FakeSlack) -> None:
    c = _container(store_url, fake, slack_app_token="xapp-1-test", slack_signing_secret=None)
    assert bot_server.choose_mode(c.settings) is bot_server.Mode.SOCKET
    bot_server.serve_forever(c)
    assert [name for name, _, _ in recorded] == ["SocketModeHandler", "start"]
    _, args, kwargs = recorded[0]
    assert args[1] == "xapp-1-test"
    assert kwargs["web_client"].base_url == fake.api_url  # SLACK_API_URL holds in Socket Mode
    assert fake.calls == []  # nothing connected out


def test_without_an_app_token_it_serves_http_on_port_under_uvicorn(
        recorded: list[Any], store_url: str, fake: FakeSlack) -> None:
    c = _container(store_url, fake, port=4321)
    assert bot_server.choose_mode(c.settings) is bot_server.Mode.HTTP
    bot_server.serve_forever(c)
    ((name, args, kwargs),) = recorded
    assert name == "uvicorn.run"
    assert kwargs["port"] == 4321 and kwargs["host"] == bot_server.HTTP_HOST
    paths = {route.path for route in args[0].routes}
    assert paths == {bot_server.EVENTS_PATH, bot_server.HEALTH_PATH}


def test_http_mode_without_a_signing_secret_refuses_to_start(
        recorded: list[Any], store_url: str, fake: FakeSlack) -> None:
    c = _container(store_url, fake, slack_signing_secret=None)
    with pytest.raises(UsageError, match="SLACK_SIGNING_SECRET"):
        bot_server.serve_forever(c)
    assert recorded == []


def test_serve_without_a_bot_token_says_so(recorded: list[Any], store_url: str,
                                           fake: FakeSlack) -> None:
    c = _container(store_url, fake, slack_bot_token=None)
    with pytest.raises(UsageError, match="SLACK_BOT_TOKEN"):
        bot_server.serve_forever(c)


def test_build_app_has_no_side_effects(store_url: str, fake: FakeSlack) -> None:
    c = _container(store_url, fake)
    app = build_app(c.settings, c.deps, client=c.slack_client, users=c.slack_users)
    other = build_app(c.settings, c.deps)  # builds its own client from the settings
    assert fake.calls == []  # no auth.test, no users.info: offline until a request comes
    assert app.client is c.slack_client and other.client.base_url == fake.api_url


def test_every_command_of_the_command_layer_is_a_slack_command() -> None:
    assert set(COMMANDS) <= set(SLASH_COMMANDS)


def test_the_slack_client_uses_slack_api_url_and_the_retry_handlers(store_url: str,
                                                                    fake: FakeSlack) -> None:
    c = _container(store_url, fake)
    assert c.slack_client is not None and c.slack_client.base_url == fake.api_url
    kinds = {type(h).__name__ for h in c.slack_client.retry_handlers}
    assert {"RateLimitErrorRetryHandler", "ServerErrorRetryHandler"} <= kinds


# --- users.info behind a cache ---------------------------------------------------------------


def test_users_info_answers_are_cached_for_the_ttl(fake: FakeSlack) -> None:
    clock = [0.0]
    users = bootstrap.SlackUsers(client=WebClient(token="xoxb-t", base_url=fake.api_url),
                                 ttl=60, monotonic=lambda: clock[0])
    assert users.is_workspace_admin(WORKSPACE_ADMIN)
    assert users.timezone(WORKSPACE_ADMIN) == "America/New_York"
    assert len(fake.of("users.info")) == 1
    clock[0] = 61.0
    users.timezone(WORKSPACE_ADMIN)
    assert len(fake.of("users.info")) == 2


def test_an_unknown_or_failing_user_is_not_an_admin_and_asked_again_only_later(
        fake: FakeSlack) -> None:
    clock = [0.0]
    users = bootstrap.SlackUsers(client=WebClient(token="xoxb-t", base_url=fake.api_url),
                                 ttl=300, failed_ttl=30, monotonic=lambda: clock[0])
    assert not users.is_workspace_admin("UNOBODY01")
    assert users.timezone("UNOBODY01") is None  # the same command: not asked again
    assert len(fake.of("users.info")) == 1
    clock[0] = 31.0
    assert not users.is_workspace_admin("UNOBODY01")
    assert len(fake.of("users.info")) == 2


def test_admin_user_ids_need_no_users_info(store_url: str, fake: FakeSlack) -> None:
    c = _container(store_url, fake)
    assert c.deps.is_admin(ADMIN)
    assert fake.of("users.info") == []
    assert not c.deps.is_admin(MEMBER)
    assert c.deps.is_admin(WORKSPACE_ADMIN)


# --- both backends -------------------------------------------------------------------------


def test_stance_over_http_on_sqlite_and_postgres(db_url: str, fake: FakeSlack,
                                                 tmp_path: Path) -> None:
    from tests.slack.conftest import INJECTION_ARTICLE

    seed_store(db_url, [INJECTION_ARTICLE])
    c = _container(db_url, fake)
    with running_server(c) as server:
        sender = SlackSender(server.url, response_url=fake.response_url())
        response = sender.command("stance", "putin ceasefire", user_id=MEMBER)
        health = sender.get("/healthz")
    assert response.status_code == 200 and health.status_code == 200
    reply = response.json()
    assert_within_slack_limits(reply)
    assert pings(reply) == []
    assert "Vladimir Putin" in reply["blocks"][0]["text"]["text"]
    assert "&lt;!channel&gt;" in str(reply["blocks"])
