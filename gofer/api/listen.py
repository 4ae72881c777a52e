"""The sockets the API listens on: its own address, and where task containers reach it."""

from __future__ import annotations

import ipaddress
import logging
import socket

from gofer.errors import GoferServerError
from gofer.orchestrators.base import OrchestratorError
from gofer.orchestrators.docker import DockerOrchestrator
from gofer.settings import Settings

log = logging.getLogger(__name__)


class ListenError(GoferServerError):
    code = "listen"


def api_sockets(settings: Settings) -> list[socket.socket]:
    """A socket on api_host, plus one on the Docker bridge gateway when containers need it.

    With the default loopback address, containers (tasks with inject_api_token, triggers) could
    not reach Gofer; the bridge gateway is reachable from this machine's containers only, not from
    the network.
    """
    sockets = [bind(settings.api_host, settings.api_port)]
    gateway = container_gateway(settings, explicit=settings.task_api_url)
    if gateway:
        try:
            sockets.append(bind(gateway, settings.api_port))
        except ListenError as exc:
            log.warning("task containers will not reach the API: %s", exc)
    return sockets


def container_gateway(settings: Settings, *, explicit: str | None) -> str | None:
    """The bridge gateway address to listen on too, unless the operator chose an address."""
    if explicit is not None or not _is_loopback(settings.api_host):
        return None
    try:
        return DockerOrchestrator().bridge_gateway()
    except OrchestratorError:
        return None  # no Docker here: the workers run elsewhere and set GOFER_TASK_API_URL


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and
    # without it every keep-alive response waited ~40 ms for the client's delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ListenError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    return sock
