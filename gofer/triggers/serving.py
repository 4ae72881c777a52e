"""The trigger gateway next to the API: same process, its own gRPC port."""

from __future__ import annotations

import logging

import grpc

from gofer.api.listen import container_gateway
from gofer.service import GoferService
from gofer.settings import Settings
from gofer.triggers.gateway import Gateway
from gofer_sdk.proto.gofer.trigger.v1.trigger_pb2_grpc import add_GatewayServicer_to_server

log = logging.getLogger(__name__)


async def start_gateway(settings: Settings, service: GoferService) -> grpc.aio.Server:
    """Serve the gateway on api_host (and the Docker bridge, for trigger containers)."""
    server = grpc.aio.server()
    add_GatewayServicer_to_server(Gateway(service, service.trigger_admin.calls), server)  # type: ignore[no-untyped-call]
    port = settings.trigger_gateway_port
    server.add_insecure_port(f"{settings.api_host}:{port}")
    bridge = container_gateway(settings, explicit=settings.trigger_gateway_address)
    if bridge:
        try:
            server.add_insecure_port(f"{bridge}:{port}")
        except RuntimeError as exc:
            log.warning("trigger containers will not reach the gateway on %s:%d: %s", bridge, port, exc)
    await server.start()
    return server
