#include <stddef.h>

struct ring {
    unsigned char *data;
    size_t capacity;
    size_t head;
    size_t tail;
};

static size_t ring_used(const struct ring *r)
{
    return r->head >= r->tail ? r->head - r->tail : r->capacity - (r->tail - r->head);
}

size_t ring_write(struct ring *r, const unsigned char *bytes, size_t count)
{
    size_t written = 0;
    while (written < count && ring_used(r) + 1 < r->capacity) {
        r->data[r->head] = bytes[written++];
        r->head = (r->head + 1) % r->capacity;
    }
    return written;
}

int ring_selftest(void)
{
    struct ring r = {0};
    return (int)ring_used(&r);
}
