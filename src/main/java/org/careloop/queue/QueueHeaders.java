package org.careloop.queue;

import org.apache.camel.spi.Metadata;

/** The headers of an exchange carrying a queue entry, and the one a producer reads. */
public final class QueueHeaders {

    @Metadata(label = "consumer", description = "The entry's id in the queue", javaType = "long")
    public static final String ENTRY_ID = "CareLoopQueueEntryId";
    @Metadata(label = "consumer", description = "How many attempts failed before this one", javaType = "int")
    public static final String ATTEMPTS = "CareLoopQueueAttempts";
    @Metadata(label = "consumer", description = "Why the entry was parked FAILED (on the exchange sent to the "
            + "dead letter endpoint)", javaType = "String")
    public static final String FAILURE = "CareLoopQueueFailure";
    @Metadata(description = "Entries with one order key are handed on one at a time, in order (on a consumer: the "
            + "entry's; on a producer: the new entry's, none when absent)", javaType = "String")
    public static final String ORDER_KEY = "CareLoopQueueOrderKey";

    private QueueHeaders() {
    }
}
