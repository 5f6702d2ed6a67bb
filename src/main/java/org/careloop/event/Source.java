package org.careloop.event;

import java.time.Instant;

/**
 * Where an event came from.
 *
 * @param channel     "hl7v2" or "fhir"
 * @param messageType "SIU^S12", "ADT^A08", or the FHIR resource type
 * @param messageTime MSH-7 when it is a valid timestamp
 * @param journalId   the stored message this event was made from: an HL7 journal entry, or a FHIR delivery
 */
public record Source(
        String channel,
        String sendingApplication,
        String sendingFacility,
        String controlId,
        String messageType,
        Instant messageTime,
        Instant receivedAt,
        long journalId) {

    /** The channel of events from HL7 v2 feeds. */
    public static final String HL7V2 = "hl7v2";
    /** The channel of events from FHIR subscriptions. */
    public static final String FHIR = "fhir";
}
