"""Clients that take their time: a request's head, or its body, a line or a byte a second."""

import contextlib
import socket
import threading
from typing import Self


class Dripping:
    """Connections that each get a little more of their request every second, in a thread."""

    def __init__(self, address: tuple[str, int], count: int) -> None:
        self.address = address
        self.connections: list[socket.socket | None] = [None] * count
        self.stopped = threading.Event()
        self.dripper = threading.Thread(target=self.drip_every_second)

    def open(self, index: int) -> None:
        """Open connection ``index`` and send the start of its request."""
        raise NotImplementedError

    def drip(self, index: int, connection: socket.socket | None) -> None:
        """Send connection ``index`` a little more of its request."""
        raise NotImplementedError

    def drip_every_second(self) -> None:
        while not self.stopped.wait(1.0):
            for index, connection in enumerate(self.connections):
                self.drip(index, connection)

    def __enter__(self) -> Self:
        for index in range(len(self.connections)):
            self.open(index)
        self.dripper.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.dripper.join()
        for connection in self.connections:
            if connection is not None:
                connection.close()


class SlowClients(Dripping):
    """Connections that send a request's head one header line at a time, every second."""

    def open(self, index: int) -> None:
        """Open a connection and send its request line and one header line."""
        connection = socket.create_connection(self.address)
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        self.connections[index] = connection

    def drip(self, index: int, connection: socket.socket | None) -> None:
        """Send one more header line, never the blank line that ends the head."""
        # The server may hang up on a slow client: that is allowed.
        with contextlib.suppress(OSError):
            if connection is not None:
                connection.sendall(b"X-Still-Typing: yes\r\n")


class SlowUploads(Dripping):
    """Connections that send a PUT's body one byte a second; one cut off is opened again."""

    BODY_BYTES = 64

    def __init__(self, address: tuple[str, int], count: int) -> None:
        super().__init__(address, count)
        self.cut_off = 0  # bodies the server stopped waiting for

    def open(self, index: int) -> None:
        """Start a new upload on connection ``index``: its head at once, no body yet."""
        connection = socket.create_connection(self.address)
        connection.sendall(
            b"PUT /api/notes/slow HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % self.BODY_BYTES
        )
        self.connections[index] = connection

    def drip(self, index: int, connection: socket.socket | None) -> None:
        """Send one more byte; reopen a connection the server closed."""
        try:
            if connection is None:
                self.open(index)
            else:
                connection.sendall(b" ")
        except OSError:
            self.cut_off += 1
            if connection is not None:
                connection.close()
            self.connections[index] = None
