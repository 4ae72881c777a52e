"""The API's listening sockets."""

from __future__ import annotations

import asyncio
import socket

from gofer.api.listen import bind


async def test_accepted_connections_get_tcp_nodelay() -> None:
    # Without TCP_NODELAY a keep-alive response waits for the client's delayed ACK (~40 ms).
    listener = bind("127.0.0.1", 0)
    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def on_connect(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(on_connect, sock=listener)
    _, writer = await asyncio.open_connection(*listener.getsockname())
    try:
        assert await asyncio.wait_for(accepted, 5) != 0
    finally:
        writer.close()
        server.close()
        await server.wait_closed()
