"""Half-edited helpers: the middle function does not parse."""


def ok_before(values):
    total = 0
    for value in values:
        total += value
    return total


def broken(values):
    result = = [v for v in values]
    return result


class Formatter:
    def ok_after(self, text):
        if not text:
            return ""
        return text.upper()
