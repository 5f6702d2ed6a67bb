package org.careloop.whatsapp.api;

import java.util.Set;

/**
 * What a Cloud API error means for CareLoop, decided by {@code error.code} (never by HTTP status: Meta sends the same
 * throttling code as 400 in some tables and 429 in others).
 */
public enum ErrorClass {
    /** Transient: send again later, with exponential backoff and jitter, a bounded number of times. */
    RETRY,
    /** 131056, too many messages to this patient in a short time: back off for this recipient only. */
    RECIPIENT_BACKOFF,
    /** The patient cannot be reached on WhatsApp (131026, 131050, 131021): stop sending to this number. */
    RECIPIENT_UNREACHABLE,
    /** The template or its use is wrong or not allowed: pause the template and alert. */
    TEMPLATE_REJECTED,
    /** The account or token cannot send at all: stop everything (open the circuit) and alert. */
    STOP_ALL,
    /** 131047: free-form text outside the 24 h window; only a template may be sent. */
    OUTSIDE_WINDOW,
    /** Any other refusal: this message fails, nothing else changes. */
    MESSAGE_FAILED;

    private static final Set<Integer> RETRY_CODES = Set.of(1, 2, 4, 80007, 130429, 131000, 131016, 131057, 133004);
    private static final Set<Integer> UNREACHABLE_CODES = Set.of(131026, 131050, 131021);
    private static final Set<Integer> TEMPLATE_CODES = Set.of(100, 131008, 131009, 132000, 132001, 132005, 132007,
            132012, 132015, 132016);
    private static final Set<Integer> STOP_CODES = Set.of(0, 10, 190, 368, 131031, 133010);

    public static ErrorClass of(int code) {
        if (RETRY_CODES.contains(code)) {
            return RETRY;
        }
        if (code == 131056) {
            return RECIPIENT_BACKOFF;
        }
        if (UNREACHABLE_CODES.contains(code)) {
            return RECIPIENT_UNREACHABLE;
        }
        if (TEMPLATE_CODES.contains(code)) {
            return TEMPLATE_REJECTED;
        }
        if (STOP_CODES.contains(code) || (code >= 200 && code <= 299)) {
            return STOP_ALL;
        }
        return code == 131047 ? OUTSIDE_WINDOW : MESSAGE_FAILED;
    }
}
