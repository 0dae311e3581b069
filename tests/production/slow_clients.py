"""Clients that take their time: a request's head, or its body, a line or a byte a second."""

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


class SlowUploads:
    """Connections that send a PUT's body one byte a second; one cut off is opened again."""

    BODY_BYTES = 64

    def __init__(self, address: tuple[str, int], count: int) -> None:
        self.address = address
        self.connections: list[socket.socket | None] = [None] * count
        self.cut_off = 0  # bodies the server stopped waiting for
        self.stopped = threading.Event()
        self.dripper = threading.Thread(target=self.drip)

    def open(self, index: int) -> None:
        """Start a new upload on connection ``index``: its head at once, no body yet."""
        connection = socket.create_connection(self.address)
        connection.sendall(
            b"PUT /api/notes/slow HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % self.BODY_BYTES
        )
        self.connections[index] = connection

    def drip(self) -> None:
        """Send one more byte on each connection each second; reopen those the server closed."""
        while not self.stopped.wait(1.0):
            for index, connection in enumerate(self.connections):
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

    def __enter__(self) -> "SlowUploads":
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
