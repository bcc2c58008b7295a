"""``huxiao alarms simulate --school SCH-05 [--kind emergency] [--url http://127.0.0.1:8000]``:
press a school's one-key alarm. The command signs and posts exactly as a device does: the
request goes through the application's whole request path (in process through Django's test
client, or with ``--url`` over HTTP to a running server), so the same verification applies."""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
import uuid

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.utils import timezone

from huxiao.alarms import rules
from huxiao.alarms.choices import AlarmKind
from huxiao.alarms.models import DeviceCredential

PATH = "/api/v1/alarm-events"
HEARTBEAT_PATH = "/api/v1/alarm-heartbeats"


def _kind(value: str) -> str:
    labels = {str(label): code for code, label in AlarmKind.choices}
    if value in AlarmKind.values:
        return value
    if value in labels:
        return labels[value]
    raise CommandError(f"未知的报警类型：{value}（可选：{'、'.join(AlarmKind.values)}）")


def _host() -> str:
    for host in settings.ALLOWED_HOSTS:
        host = host.lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def signed_request(
    credential: DeviceCredential,
    body: bytes,
    *,
    secret: str | None = None,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The headers a device sends with ``body`` (the secret and time may be given, to forge)."""
    stamp = str(int(timestamp if timestamp is not None else timezone.now().timestamp()))
    nonce = nonce or secrets.token_hex(12)
    signature = rules.signature(secret or credential.secret, stamp, nonce, body)
    return {
        rules.HEADER_DEVICE: credential.code,
        rules.HEADER_TIMESTAMP: stamp,
        rules.HEADER_NONCE: nonce,
        rules.HEADER_SIGNATURE: signature,
    }


class Command(BaseCommand):
    help = (
        "一键报警：simulate 模拟学校一键报警设备按键，heartbeat 模拟设备心跳"
        "（都按设备方式签名并上报）。"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        simulate = sub.add_parser("simulate", help="模拟一次报警上报")
        simulate.add_argument("--school", required=True, help="学校单位代码，如 SCH-05")
        simulate.add_argument(
            "--kind", default=AlarmKind.EMERGENCY, help="报警类型（默认 emergency 紧急求助）"
        )
        simulate.add_argument("--event-id", default="", help="设备事件编号（默认随机）")
        simulate.add_argument("--place", default="", help="报警位置（默认为设备安装位置）")
        simulate.add_argument(
            "--url", default="", help="发往运行中的服务，如 http://127.0.0.1:8000"
        )
        simulate.add_argument("--forge", action="store_true", help="用错误的密钥签名（应被拒收）")
        beat = sub.add_parser("heartbeat", help="模拟学校一键报警设备发送心跳")
        beat.add_argument("--school", required=True, help="学校单位代码，如 SCH-05")
        beat.add_argument("--device", default="", help="设备编码（默认该校全部已签发密钥的设备）")
        beat.add_argument("--url", default="", help="发往运行中的服务，如 http://127.0.0.1:8000")
        beat.add_argument("--forge", action="store_true", help="用错误的密钥签名（应被拒收）")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _simulate(self, school, kind, event_id, place, url, forge, **_):
        credential = (
            DeviceCredential.objects.select_related("device__school__organization")
            .filter(device__school__organization__code=school, is_active=True)
            .order_by("device_id")
            .first()
        )
        if credential is None:
            raise CommandError(
                f"学校 {school} 没有已签发密钥的一键报警设备：请先在“报警设备密钥”页面签发密钥"
                "（演示数据已为 SCH-xx 学校签发：huxiao seed demo）。"
            )
        payload = {
            "event_id": event_id or f"SIM-{uuid.uuid4().hex[:16]}",
            "kind": _kind(kind),
            "occurred_at": timezone.localtime().isoformat(timespec="seconds"),
        }
        if place:
            payload["place"] = place
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = signed_request(credential, body, secret=rules.new_secret() if forge else None)
        status, answer = self._post(url, body, headers)
        name = credential.device.school.organization.name
        if 200 <= status < 300:
            self.stdout.write(
                f"{name}（{credential.code}）报警已上报：HTTP {status}，报警 #{answer.get('id')}"
                f"{'（重复上报，未新建）' if answer.get('duplicate') else ''}。"
            )
            return
        raise CommandError(
            f"{name}（{credential.code}）上报被拒收：HTTP {status}，{answer.get('detail', answer)}"
        )

    def _heartbeat(self, school, device, url, forge, **_):
        credentials = DeviceCredential.objects.select_related(
            "device__school__organization"
        ).filter(device__school__organization__code=school, is_active=True)
        if device:
            credentials = credentials.filter(code=device)
        credentials = list(credentials.order_by("device_id"))
        if not credentials:
            raise CommandError(
                f"学校 {school} 没有{'编码为 ' + device + ' 的' if device else ''}已签发密钥的"
                "一键报警设备：请先在“报警设备密钥”页面签发密钥（演示数据已为 SCH-xx 学校签发）。"
            )
        refused = []
        for credential in credentials:
            body = json.dumps(
                {"sent_at": timezone.localtime().isoformat(timespec="seconds")}
            ).encode("utf-8")
            headers = signed_request(credential, body, secret=rules.new_secret() if forge else None)
            status, answer = self._post(url, body, headers, path=HEARTBEAT_PATH)
            name = credential.device.school.organization.name
            if 200 <= status < 300:
                back = "，设备恢复在线" if answer.get("back_online") else ""
                self.stdout.write(f"{name}（{credential.code}）心跳已上报：HTTP {status}{back}。")
            else:
                refused.append(
                    f"{name}（{credential.code}）心跳被拒收：HTTP {status}，"
                    f"{answer.get('detail', answer)}"
                )
        if refused:
            raise CommandError("\n".join(refused))

    def _post(
        self, url: str, body: bytes, headers: dict[str, str], path: str = PATH
    ) -> tuple[int, dict]:
        if not url:
            client = Client(HTTP_HOST=_host(), raise_request_exception=False)
            response = client.post(
                path,
                body,
                content_type="application/json",
                headers=headers,
                secure=getattr(settings, "SECURE_SSL_REDIRECT", False),
            )
            return response.status_code, _json(response.content)
        if not url.startswith(("http://", "https://")):
            raise CommandError(f"--url 应以 http:// 或 https:// 开头：{url}")
        request = urllib.request.Request(  # noqa: S310 (checked above: http or https)
            url.rstrip("/") + path,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (operator's URL)
                return response.status, _json(response.read())
        except urllib.error.HTTPError as error:
            return error.code, _json(error.read())
        except urllib.error.URLError as error:
            raise CommandError(f"无法连接 {url}：{error.reason}") from None


def _json(raw: bytes) -> dict:
    try:
        found = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {"detail": raw[:200].decode("utf-8", "replace")}
    return found if isinstance(found, dict) else {"detail": found}
