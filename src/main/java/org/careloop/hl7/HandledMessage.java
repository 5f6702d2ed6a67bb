package org.careloop.hl7;

import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.message.ADT_A01;
import ca.uhn.hl7v2.model.v251.message.ADT_A03;
import ca.uhn.hl7v2.model.v251.message.ADT_A05;
import ca.uhn.hl7v2.model.v251.message.ADT_A09;
import ca.uhn.hl7v2.model.v251.message.ADT_A39;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.model.v251.message.RDE_O11;
import ca.uhn.hl7v2.model.v251.message.SIU_S12;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import org.careloop.event.EventKind;

/**
 * The HL7 v2 messages CareLoop turns into events, chosen by MSH-9.1 and MSH-9.2 (never MSH-9.3, which real feeds
 * fill with names like SIU_S13 that are no HAPI structure), each with the HAPI v2.5.1 structure it is read into.
 */
public enum HandledMessage {
    SIU_S12_BOOKED("SIU", "S12", EventKind.APPOINTMENT_BOOKED, Family.SCHEDULING, SIU_S12::new),
    SIU_S13_RESCHEDULED("SIU", "S13", EventKind.APPOINTMENT_RESCHEDULED, Family.SCHEDULING, SIU_S12::new),
    SIU_S14_MODIFIED("SIU", "S14", EventKind.APPOINTMENT_MODIFIED, Family.SCHEDULING, SIU_S12::new),
    SIU_S15_CANCELLED("SIU", "S15", EventKind.APPOINTMENT_CANCELLED, Family.SCHEDULING, SIU_S12::new),
    SIU_S17_DELETED("SIU", "S17", EventKind.APPOINTMENT_DELETED, Family.SCHEDULING, SIU_S12::new),
    SIU_S26_NO_SHOW("SIU", "S26", EventKind.APPOINTMENT_NO_SHOW, Family.SCHEDULING, SIU_S12::new),
    ADT_A01_ADMIT("ADT", "A01", EventKind.PATIENT_ADMITTED, Family.ADMISSION, ADT_A01::new),
    ADT_A03_DISCHARGE("ADT", "A03", EventKind.PATIENT_DISCHARGED, Family.ADMISSION, ADT_A03::new),
    ADT_A04_REGISTER("ADT", "A04", EventKind.PATIENT_REGISTERED, Family.ADMISSION, ADT_A01::new),
    ADT_A08_UPDATE("ADT", "A08", EventKind.PATIENT_UPDATED, Family.ADMISSION, ADT_A01::new),
    ADT_A11_CANCEL_ADMIT("ADT", "A11", EventKind.ADMISSION_CANCELLED, Family.ADMISSION, ADT_A09::new),
    ADT_A13_CANCEL_DISCHARGE("ADT", "A13", EventKind.DISCHARGE_CANCELLED, Family.ADMISSION, ADT_A01::new),
    ADT_A28_ADD_PERSON("ADT", "A28", EventKind.PATIENT_UPDATED, Family.ADMISSION, ADT_A05::new),
    ADT_A31_UPDATE_PERSON("ADT", "A31", EventKind.PATIENT_UPDATED, Family.ADMISSION, ADT_A05::new),
    ADT_A40_MERGE("ADT", "A40", EventKind.PATIENTS_MERGED, Family.MERGE, ADT_A39::new),
    ORU_R01_RESULT("ORU", "R01", EventKind.RESULT_REPORTED, Family.RESULTS, ORU_R01::new),
    RDE_O11_PHARMACY_ORDER("RDE", "O11", EventKind.MEDICATION_ORDERED, Family.PHARMACY, RDE_O11::new);

    /** Messages of one family carry the same segments and are read by the same extractor. */
    public enum Family {
        SCHEDULING,
        ADMISSION,
        MERGE,
        RESULTS,
        PHARMACY
    }

    private final String messageType;
    private final String triggerEvent;
    private final EventKind kind;
    private final Family family;
    private final Supplier<Message> structure;

    HandledMessage(String messageType, String triggerEvent, EventKind kind, Family family,
            Supplier<Message> structure) {
        this.messageType = messageType;
        this.triggerEvent = triggerEvent;
        this.kind = kind;
        this.family = family;
        this.structure = structure;
    }

    public static Optional<HandledMessage> of(String messageType, String triggerEvent) {
        return Arrays.stream(values())
                .filter(m -> m.messageType.equals(messageType) && m.triggerEvent.equals(triggerEvent))
                .findFirst();
    }

    public EventKind kind() {
        return kind;
    }

    public Family family() {
        return family;
    }

    /** An empty HAPI message of the structure this type is read into. */
    public Message newStructure() {
        return structure.get();
    }
}
