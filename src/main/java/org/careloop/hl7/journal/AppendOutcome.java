package org.careloop.hl7.journal;

/** What appending a message to the journal did. */
public sealed interface AppendOutcome {

    /** A new entry. */
    record Stored(long journalId) implements AppendOutcome {
    }

    /** The same message (sender, control id, content) was already stored: nothing new, acknowledge again. */
    record Duplicate(long journalId) implements AppendOutcome {
    }

    /** The control id was already used for different content; the message went to the rejected table instead. */
    record ControlIdReused(long rejectedId) implements AppendOutcome {
    }
}
