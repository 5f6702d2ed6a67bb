package org.careloop.store;

/**
 * Text cut to what a column holds. A value too long for its column fails the whole statement (SQLState 22001), and
 * with it the entry it belongs to; reasons, errors and servers' answers are kept as far as they fit instead.
 */
public final class Columns {

    /** The width of the state_reason / last_error columns. */
    public static final int REASON = 2000;

    private Columns() {
    }

    /** The text, or its first {@code width} characters; null stays null. */
    public static String fit(String text, int width) {
        return text == null || text.length() <= width ? text : text.substring(0, width);
    }

    public static String reason(String text) {
        return fit(text, REASON);
    }
}
