package org.careloop.fhir.writeback;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.careloop.fhir.writeback.AppointmentChange.NotApplicable;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;

/**
 * Finds the FHIR Appointment a message was about from its subject key ({@code appointment:EPIC|36996}): by its FHIR
 * id when the appointment came from the FHIR server itself (system {@value #FHIR_SYSTEM}), otherwise by identifier,
 * the sending application mapped to an identifier system ({@code urn:oid:...}, {system} standing for MSH-3) and SCH-2
 * as the value.
 */
public final class AppointmentLocator {

    static final String SUBJECT_PREFIX = "appointment:";
    /** The system of appointments known by their FHIR id. */
    public static final String FHIR_SYSTEM = "FHIR";

    private final IGenericClient client;
    private final String identifierSystem;

    public AppointmentLocator(IGenericClient client, String identifierSystem) {
        this.client = client;
        this.identifierSystem = identifierSystem;
    }

    public IIdType find(String subjectKey) throws NotApplicable {
        if (subjectKey == null || !subjectKey.startsWith(SUBJECT_PREFIX) || !subjectKey.contains("|")) {
            throw new NotApplicable("the reply is not about an appointment (" + subjectKey + ")");
        }
        String key = subjectKey.substring(SUBJECT_PREFIX.length());
        String system = key.substring(0, key.indexOf('|'));
        String id = key.substring(key.indexOf('|') + 1);
        if (FHIR_SYSTEM.equals(system)) {
            return new IdType("Appointment", id);
        }
        String identifier = identifierSystem.replace("{system}", system);
        Bundle found = client.search().forResource(Appointment.class)
                .where(Appointment.IDENTIFIER.exactly().systemAndCode(identifier, id))
                .returnBundle(Bundle.class).execute();
        if (found.getEntry().size() != 1) {
            throw new NotApplicable((found.getEntry().isEmpty() ? "no Appointment has" : "several Appointments have")
                    + " the identifier " + identifier + "|" + id);
        }
        return new IdType("Appointment", found.getEntryFirstRep().getResource().getIdElement().getIdPart());
    }
}
