package org.careloop.hl7.journal;

/** Where a journaled message stands. */
public enum JournalState {
    /** Stored and acknowledged; not yet turned into an event. Processed at the next drain, or at start-up. */
    RECEIVED,
    /** Turned into an event. */
    PROCESSED,
    /** Could not become an event; the reason is kept for operators, who can reprocess it. */
    FAILED,
    /** Acknowledged and kept, but of a type CareLoop does not handle. */
    IGNORED
}
