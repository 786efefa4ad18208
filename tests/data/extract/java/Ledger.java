package org.example.ledger;

import java.io.Closeable;
import java.util.List;

/**
 * A ledger of entries.
 */
@Service
public class Ledger implements Closeable, Iterable<Entry> {
    private final List<Entry> entries;

    /** Creates an empty ledger. */
    public Ledger(List<Entry> entries) {
        this.entries = entries;
    }

    @Override
    public void close() {
        entries.clear();
    }

    public static <T extends Number> long total(List<T> values, boolean strict) {
        long sum = 0;
        for (T value : values) {
            if (value == null && strict) {
                throw new IllegalArgumentException();
            }
            sum += value == null ? 0 : value.longValue();
        }
        return sum;
    }

    public String kind(int code) {
        switch (code) {
            case 1:
            case 2:
                return "low";
            case 3:
                return "mid";
            default:
                return "high";
        }
    }

    public int parse(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException | NullPointerException e) {
            return -1;
        } finally {
            entries.size();
        }
    }

    public Runnable task() {
        return () -> {
            if (entries.isEmpty()) {
                System.out.println("empty");
            }
        };
    }

    static class Audit {
        void check(String... names) {
            for (int i = 0; i < names.length; i++) {
                while (names[i].isEmpty()) {
                    break;
                }
            }
        }

        class Deep {
            int depth() { return 2; }
        }
    }

    interface Visitor {
        void visit(Entry entry);

        default void done() {}
    }

    enum Mode {
        READ, WRITE;

        boolean writable() { return this == WRITE; }
    }

    record Point(int x, int y) {
        Point {
            if (x < 0) throw new IllegalArgumentException();
        }
    }

    abstract static class Base {
        abstract void run();

        String label(int n) {
            return switch (n) {
                case 1, 2 -> "few";
                default -> "many";
            };
        }
    }
}
