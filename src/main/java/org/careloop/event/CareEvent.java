package org.careloop.event;

import java.util.List;
import org.careloop.consent.ConsentStatus;

/**
 * One thing that happened to a patient, in the one shape every later step reads: planning, consent, sending and
 * write-back know nothing of HL7 segments or FHIR resources.
 *
 * @param appointment present for appointment events
 * @param visit       present for admission and discharge events
 * @param order       present for results and medication orders
 * @param messagingConsent what the source says about the patient's consent to messages (the site's configured
 *                    field), or null when it says nothing
 * @param warnings    what the source carried that could not be used (an unparseable phone, an unknown language
 *                    code), naming fields, never values, so operators can fix the feed
 */
public record CareEvent(
        EventKind kind,
        Source source,
        Patient patient,
        Appointment appointment,
        Visit visit,
        Order order,
        ConsentStatus messagingConsent,
        List<String> warnings) {

    public CareEvent {
        warnings = List.copyOf(warnings);
    }

    /** The same event about the patient as a later update knows them (name, language, number). */
    public CareEvent withPatient(Patient updated) {
        return new CareEvent(kind, source, updated, appointment, visit, order, messagingConsent, warnings);
    }
}
