"""A new urgent message is pushed live to its recipient's pages as its id (the page then claims
its toast over HTTP); other messages move the bell only."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from huxiao.core import services
from huxiao.core.choices import NotificationLevel
from tests.core.test_realtime import connect_as


@pytest.mark.django_db(transaction=True)
def test_it_pushes_the_id_of_a_new_urgent_message(people):
    async def scenario():
        communicator, connected, _ = await connect_as(people.officer_a, "/ws/notifications/")
        assert connected
        assert await communicator.receive_json_from() == {"type": "unread", "count": 0}
        await sync_to_async(services.notify)(recipients=[people.officer_a], title="普通通知")
        assert await communicator.receive_json_from() == {"type": "unread", "count": 1}
        assert await communicator.receive_nothing(timeout=0.2)
        created = await sync_to_async(services.notify)(
            recipients=[people.officer_a, people.officer_b],
            title="布控比中",
            level=NotificationLevel.URGENT,
        )
        mine = next(n for n in created if n.recipient_id == people.officer_a.pk)
        assert await communicator.receive_json_from() == {"type": "unread", "count": 2}
        assert await communicator.receive_json_from() == {"type": "urgent", "id": mine.pk}
        assert await communicator.receive_nothing(timeout=0.2)
        await communicator.disconnect()

    async_to_sync(scenario)()
