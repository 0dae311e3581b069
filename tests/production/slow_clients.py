"""Clients that take their time: each sends a request's head one header line a second."""

import contextlib
import socket
import threading


class SlowClients:
    """Connections that send a request's head one header line at a time, every second."""

    def __init__(self, address: tuple[str, int], count: int) -> None:
        self.connections = [socket.create_connection(address) for _ in range(count)]
        self.stopped = threading.Event()
        self.dripper = threading.Thread(target=self.drip)

    def drip(self) -> None:
        """Send one more header line on each connection each second, never the blank line."""
        while not self.stopped.wait(1.0):
            for connection in self.connections:
                # The server may hang up on a slow client: that is allowed.
                with contextlib.suppress(OSError):
                    connection.sendall(b"X-Still-Typing: yes\r\n")

    def __enter__(self) -> "SlowClients":
        for connection in self.connections:
            connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        self.dripper.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.dripper.join()
        for connection in self.connections:
            connection.close()
