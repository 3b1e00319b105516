"""The server reads a query worker's first reply on its event loop (api.embedded._Frame):
piece by piece as the bytes arrive, and never past the end of that message, because
the rest of a streamed answer is read from the same pipe by Connection.recv."""

from __future__ import annotations

import multiprocessing as mp
import os
import select
import threading

import pytest

from api.embedded import CHUNK, _Frame, _PipeWriter


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


def test_a_large_write_is_sent_in_chunks_the_server_can_hold_one_at_a_time():
    """One long literal is one write of the serializer: sent whole, it was held whole by
    the HTTP process too (a 128 MB answer took 300 MB there)."""
    server, worker = mp.Pipe()
    writer = _PipeWriter(worker, "solutions", "tsv")
    received: list[tuple] = []
    reader = threading.Thread(target=lambda: received.extend(iter(server.recv, ("end",))))
    reader.start()
    data = bytes(range(256)) * (CHUNK * 3 // 256) + b"tail"
    writer.write(b"head")
    writer.write(data)
    writer.finish()
    reader.join(10)
    assert received[0] == ("start", "solutions", "tsv")
    chunks = [m[1] for m in received[1:]]
    assert all(m[0] == "chunk" for m in received[1:]) and max(map(len, chunks)) <= CHUNK
    assert b"".join(chunks) == b"head" + data
