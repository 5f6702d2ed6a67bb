package org.careloop.whatsapp.outbox;

import org.apache.camel.spi.Metadata;

/** The headers a careloop-outbox consumer sets on each message it hands on (the body is the claimed message). */
public final class OutboxHeaders {

    @Metadata(label = "consumer", description = "The outbox row's id", javaType = "long")
    public static final String MESSAGE_ID = "CareLoopOutboxMessageId";

    private OutboxHeaders() {
    }
}
