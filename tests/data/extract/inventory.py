"""Inventory bookkeeping for a small warehouse."""

import asyncio
import functools
from dataclasses import dataclass


def retry(times):
    """Retry a flaky call a few times."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(times):
                try:
                    return func(*args, **kwargs)
                except ConnectionError:
                    if attempt == times - 1:
                        raise
            return None

        return wrapper

    return decorator


@dataclass
class Item:
    sku: str
    quantity: int
    price: float

    @property
    def value(self):
        return self.quantity * self.price


class Inventory:
    """Stock levels keyed by SKU."""

    def __init__(self, items=None):
        self._items = {item.sku: item for item in items or []}

    def restock(self, sku, amount, *, reason=None):
        if amount <= 0:
            raise ValueError("amount must be positive")
        item = self._items.get(sku)
        if item is None:
            item = Item(sku, 0, 0.0)
            self._items[sku] = item
        elif reason and reason.startswith("return"):
            amount = min(amount, 10)
        item.quantity += amount
        return item.quantity

    @staticmethod
    def parse_line(line):
        sku, _, quantity = line.partition(",")
        return sku.strip(), int(quantity) if quantity else 0

    @classmethod
    def from_lines(cls, lines):
        return cls([Item(sku, qty, 1.0) for sku, qty in map(cls.parse_line, lines) if qty > 0])

    @retry(times=3)
    async def sync(self, client, batch_size=50):
        pending = list(self._items.values())
        while pending:
            batch, pending = pending[:batch_size], pending[batch_size:]
            try:
                await client.push(batch)
            except (TimeoutError, ConnectionError) as error:
                await asyncio.sleep(1)
                pending.extend(batch)
                if isinstance(error, TimeoutError):
                    continue

    def describe(self, sku):
        match self._items.get(sku):
            case None:
                return "unknown"
            case Item(quantity=0):
                return "sold out"
            case Item(quantity=q) if q < 5:
                return "low"
            case _:
                return "in stock"

    class Report:
        def __init__(self, inventory):
            self.inventory = inventory

        def total(self):
            return sum(item.value for item in self.inventory._items.values())


def summarize(inventory, threshold=3):
    low = [sku for sku, item in inventory._items.items() if item.quantity < threshold]
    return ", ".join(sorted(low)) or "all stocked"
