"""The unread count is pushed live over the WebSocket, through the in-memory or the Redis layer."""

import asyncio
import json
import os
import socket
import uuid

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from asgiref.testing import ApplicationCommunicator

from huxiao.core import services


class WebsocketCommunicator(ApplicationCommunicator):
    """Minimal WebSocket test client (channels.testing imports daphne, which we do not ship)."""

    def __init__(self, application, path, headers=None):
        super().__init__(
            application,
            {
                "type": "websocket",
                "path": path,
                "headers": headers or [],
                "query_string": b"",
                "subprotocols": [],
            },
        )

    async def connect(self, timeout=5):
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        return response["type"] == "websocket.accept", response.get("code")

    async def receive_json_from(self, timeout=5):
        response = await self.receive_output(timeout)
        return json.loads(response["text"])

    async def disconnect(self, code=1000, timeout=5):
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


def _app():
    from huxiao.asgi import application

    return application


async def connect_as(user, path: str, **session_extra):
    """A WebSocket to ``path`` with ``user``'s session (and ``session_extra`` in it):
    (communicator, connected, close code)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    def make_session():
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "huxiao.core.backends.RoleBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.update(session_extra)
        session.save()
        return session.session_key

    key = await sync_to_async(make_session)()
    communicator = WebsocketCommunicator(
        _app(),
        path,
        headers=[(b"cookie", f"sessionid={key}".encode()), (b"origin", b"http://localhost")],
    )
    connected, code = await communicator.connect()
    return communicator, connected, code


async def _connect(user):
    communicator, connected, _code = await connect_as(user, "/ws/notifications/")
    return communicator, connected


@pytest.mark.django_db(transaction=True)
def test_it_pushes_the_unread_count_to_the_signed_in_user(people):
    async def scenario():
        communicator, connected = await _connect(people.officer_a)
        assert connected
        assert await communicator.receive_json_from(timeout=5) == {"type": "unread", "count": 0}
        await sync_to_async(services.notify)(recipients=[people.officer_a], title="新隐患待复查")
        assert await communicator.receive_json_from(timeout=5) == {"type": "unread", "count": 1}
        await communicator.disconnect()

    async_to_sync(scenario)()


@pytest.mark.django_db(transaction=True)
def test_it_refuses_an_anonymous_socket(db):
    async def scenario():
        communicator = WebsocketCommunicator(
            _app(), "/ws/notifications/", headers=[(b"origin", b"http://localhost")]
        )
        connected, _ = await communicator.connect()
        assert not connected

    async_to_sync(scenario)()


@pytest.mark.redis
def test_the_redis_layer_fans_out_between_separate_layer_instances():
    with socket.socket() as s:
        s.settimeout(1)
        if s.connect_ex(("127.0.0.1", 6379)) != 0:
            if os.environ.get("HUXIAO_REQUIRE_REDIS") == "1":
                pytest.fail("Redis does not answer at 127.0.0.1:6379")
            pytest.skip("Redis 未在 127.0.0.1:6379 运行：跳过 Redis 实时推送测试")
    from channels_redis.core import RedisChannelLayer

    prefix = f"huxiao-test-{uuid.uuid4().hex[:8]}"

    async def scenario():
        web = RedisChannelLayer(hosts=["redis://127.0.0.1:6379/0"], prefix=prefix)
        console = RedisChannelLayer(hosts=["redis://127.0.0.1:6379/0"], prefix=prefix)
        channel = await console.new_channel()
        await console.group_add("user-1", channel)
        await web.group_send("user-1", {"type": "unread.count", "count": 3})
        message = await asyncio.wait_for(console.receive(channel), 5)
        await console.flush()
        return message

    assert async_to_sync(scenario)() == {"type": "unread.count", "count": 3}
