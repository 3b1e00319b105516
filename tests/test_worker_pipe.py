"""The server reads a query worker's first reply on its event loop (api.embedded._Frame):
piece by piece as the bytes arrive, and never past the end of that message, because
the rest of a streamed answer is read from the same pipe by Connection.recv."""

from __future__ import annotations

import multiprocessing as mp
import os
import select
import threading

import pytest

from api.embedded import _Frame


def read_frame(fd: int) -> tuple:
    """Read one message as the event loop does: whatever has arrived, each time the pipe is readable."""
    os.set_blocking(fd, False)
    frame = _Frame(fd)
    try:
        while True:
            select.select([fd], [], [], 5)
            message = frame.read()
            if message is not None:
                return message
    finally:
        os.set_blocking(fd, True)


@pytest.mark.parametrize("size", [0, 10, 1 << 20])  # 1 MiB: more than a pipe holds, so it arrives in pieces
def test_one_message_is_read_whole_and_the_next_is_left_for_recv(size):
    server, worker = mp.Pipe()
    first = ("whole", "solutions", "json", b"x" * size)
    writer = threading.Thread(target=lambda: (worker.send(first), worker.send(("end",))))
    writer.start()
    message = read_frame(server.fileno())
    writer.join(5)
    assert message == first
    assert server.recv() == ("end",)


def test_a_closed_pipe_is_an_eof():
    server, worker = mp.Pipe()
    os.write(worker.fileno(), b"\x00\x00\x00\x10abc")  # a length prefix of 16, then only three bytes
    worker.close()
    with pytest.raises(EOFError):
        read_frame(server.fileno())
