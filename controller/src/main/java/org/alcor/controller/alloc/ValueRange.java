package org.alcor.controller.alloc;

/** An inclusive range of values in an allocation space. */
public record ValueRange(long first, long last) {
    public ValueRange {
        if (first < 0 || last < first) throw new IllegalArgumentException("bad range " + first + ".." + last);
    }

    public boolean contains(long v) { return v >= first && v <= last; }

    public long size() { return last - first + 1; }
}
