/* A singly linked list with a few macros around it. */
#include <stdlib.h>
#include "list.h"

#define LIST_FOREACH(item, list) for (item = (list)->head; item; item = item->next)
#define STATIC_FN(name) static int name

struct node {
    int value;
    struct node *next;
};

typedef struct {
    struct node *head;
    size_t size;
} list_t;

static struct node *node_new(int value);

/* Counts the nodes that hold a positive value. */
static size_t
list_count_positive(const list_t *list)
{
    size_t count = 0;
    struct node *item;
    LIST_FOREACH(item, list) {
        if (item->value > 0 && item != NULL)
            count++;
    }
    return count;
}

int list_classify(int value)
{
    switch (value) {
    case 0:
        return 0;
    case 1:
    case 2:
        return value > 1 ? 2 : 1;
    default:
        return -1;
    }
}

/* K&R style definition. */
int
old_style(a, b)
    int a;
    char *b;
{
    do {
        a--;
    } while (a > 0 || b == 0);
    return a;
}

STATIC_FN(macro_named)(void)
{
    return 1;
}

void (*signal_handler(int sig, void (*handler)(int)))(int)
{
    (void)sig;
    return handler;
}

int ATTRIBUTE_UNUSED_FN
annotated(int x ATTRIBUTE_UNUSED)
{
    while (x-- > 0) {
        if (x == 3) {
            for (;;) {
                break;
            }
        } else if (x == 2) {
            continue;
        }
    }
    return 0;
}
