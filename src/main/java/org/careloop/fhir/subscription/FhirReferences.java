package org.careloop.fhir.subscription;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads what an Appointment's participants (and a report's or an order's subject) point at, through a small cache:
 * a clinic's appointments share a few practitioners and locations, and a Patient delivered by a subscription is
 * remembered as delivered. Entries live {@code ttl}, so a patient's new number is seen within that even without a
 * Patient subscription. A server that does not answer makes the read fail (the delivery is tried again later); a
 * reference to nothing (404, 410) is read as absent.
 */
final class FhirReferences {

    private record Cached(Resource resource, Instant at) {
    }

    private static final int MAX_ENTRIES = 10_000;

    private final IGenericClient client;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    FhirReferences(IGenericClient client, Duration ttl, Clock clock) {
        this.client = client;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The Patient, Practitioner and Location an Appointment's participants name. */
    FhirCareEvents.Participants participants(Appointment appointment) {
        Patient patient = null;
        Practitioner practitioner = null;
        Location location = null;
        for (Appointment.AppointmentParticipantComponent participant : appointment.getParticipant()) {
            Reference actor = participant.getActor();
            String type = type(actor);
            if ("Patient".equals(type) && patient == null) {
                patient = read(actor, Patient.class);
            } else if ("Practitioner".equals(type) && practitioner == null) {
                practitioner = actor.hasReference() ? read(actor, Practitioner.class) : null;
                if (practitioner == null && actor.hasDisplay()) {
                    practitioner = new Practitioner();
                    practitioner.addName().setFamily(actor.getDisplay());
                }
            } else if ("Location".equals(type) && location == null) {
                location = actor.hasReference() ? read(actor, Location.class) : null;
                if (location == null && actor.hasDisplay()) {
                    location = new Location().setName(actor.getDisplay());
                }
            }
        }
        return new FhirCareEvents.Participants(patient, practitioner, location);
    }

    /** The Patient a report or an order is about, or null when its subject is not a Patient the server has. */
    Patient subject(Reference subject) {
        return "Patient".equals(type(subject)) && subject.hasReference() ? read(subject, Patient.class) : null;
    }

    /** A resource the server sent us is the freshest copy there is. */
    synchronized void remember(Resource resource) {
        cache.put(resource.fhirType() + "/" + resource.getIdElement().getIdPart(), new Cached(resource, clock.instant()));
    }

    private <T extends Resource> T read(Reference reference, Class<T> type) {
        String key = type.getSimpleName() + "/" + reference.getReferenceElement().getIdPart();
        synchronized (this) {
            Cached cached = cache.get(key);
            if (cached != null && cached.at().plus(ttl).isAfter(clock.instant())) {
                return type.cast(cached.resource());
            }
        }
        try {
            T read = reference.getReferenceElement().isAbsolute()
                    ? client.read().resource(type).withUrl(reference.getReference()).execute()
                    : client.read().resource(type).withId(reference.getReferenceElement().getIdPart()).execute();
            remember(read);
            return read;
        } catch (ResourceNotFoundException | ResourceGoneException absent) {
            return null;
        }
    }

    private static String type(Reference actor) {
        if (actor.hasReference() && !actor.getReference().startsWith("#")) {
            return actor.getReferenceElement().getResourceType();
        }
        return actor.hasType() ? actor.getType() : null;
    }
}
