"""Flags and docs.

Second paragraph.
"""

import abc
import contextlib
from dataclasses import dataclass


class Session:
    """A session.

        Indented line.
    """

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@contextlib.contextmanager
def opened(path):
    handle = open(path)
    try:
        yield handle
    finally:
        handle.close()


@dataclass(frozen=True)
class Point:
    x: int
    y: int


class Base(abc.ABC):
    @abc.abstractmethod
    def run(self):
        ...

    @property
    def size(self):
        return 1

    @size.setter
    def size(self, value):
        pass

    @classmethod
    async def make(cls, a, b=1, *args, key: str = "", **kwargs):
        def inner():
            class Local:
                def method(self):
                    pass
            return Local
        return inner
