package org.careloop.logging;

/**
 * Text a sender wrote (an MSH-10, an MSH-3, a reason quoting them), made safe for a log line: at most
 * {@link #MAX_CHARS} characters, and every control or formatting character (CR, LF, ESC, a right-to-left override,
 * a zero-width joiner...) written as {@code \\uXXXX}, so that nothing a sender writes can forge or hide log lines.
 */
public final class SenderText {

    public static final int MAX_CHARS = 80;

    private SenderText() {
    }

    public static String of(String text) {
        return of(text, MAX_CHARS);
    }

    /** As {@link #of(String)}, with another bound: for CareLoop's own sentences that may quote a sender's field. */
    public static String of(String text, int maxChars) {
        if (text == null) {
            return "-";
        }
        StringBuilder safe = new StringBuilder(Math.min(text.length(), maxChars) + 16);
        for (int i = 0; i < Math.min(text.length(), maxChars); i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            if (c == '\\' || type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.UNASSIGNED || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                safe.append(String.format("\\u%04x", (int) c));
            } else {
                safe.append(c);
            }
        }
        if (text.length() > maxChars) {
            safe.append("...(").append(text.length()).append(" chars)");
        }
        return safe.toString();
    }
}
