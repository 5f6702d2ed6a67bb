package org.careloop.fhir.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.careloop.event.CareEvent;
import org.careloop.event.Dosing;
import org.careloop.event.EventKind;
import org.careloop.event.PhoneNumbers;
import org.careloop.event.Source;
import org.careloop.fhir.subscription.FhirDeliveries.Seen;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.junit.jupiter.api.Test;

/** The shipped FHIR samples (samples/fhir) read as the CareEvents the journeys plan from. */
class SampleResourcesTest {

    private final FhirContext fhir = FhirContext.forR4Cached();
    private final FhirCareEvents mapper = new FhirCareEvents(ZoneId.of("America/New_York"), new PhoneNumbers("US"),
            "urn:careloop:patient:{authority}", "urn:careloop:appointment:{system}");
    private final Source source = new Source(Source.FHIR, "FHIR", "test", "x", "x", null, Instant.EPOCH, 1);

    @Test
    void aBidMedicationRequestIsANewOrderWithItsCourse() throws Exception {
        MedicationRequest request = read("medication-request-bid.json", MedicationRequest.class);

        CareEvent order = mapper.medication(request, Optional.empty(), null, source);
        CareEvent change = mapper.medication(request, Optional.of("active"), null, source);
        CareEvent afterHold = mapper.medication(request, Optional.of("on-hold"), null, source);

        assertThat(order.kind()).isEqualTo(EventKind.MEDICATION_ORDERED);
        assertThat(order.order().placerId()).isEqualTo("rx-7001");
        assertThat(order.order().dosing()).isEqualTo(new Dosing("NW", "BID", List.of(),
                Instant.parse("2026-12-01T14:00:00Z"), Instant.parse("2026-12-16T04:59:00Z"), null));
        assertThat(change.order().dosing().orderControl()).isEqualTo("XO");
        assertThat(afterHold.order().dosing().orderControl()).isEqualTo("RL");
        assertThat(order.warnings()).containsExactly("MedicationRequest.subject: no Patient could be read");
    }

    @Test
    void aFinishedInpatientEncounterIsADischargeHome() throws Exception {
        Encounter encounter = read("encounter-finished.json", Encounter.class);

        EventKind kind = EncounterTransitions.kind(encounter.getStatus().toCode(),
                FhirCareEvents.isInpatient(encounter), Optional.of(new Seen("2", null, "in-progress", null)));
        CareEvent discharge = mapper.encounter(kind, encounter, null, source);

        assertThat(kind).isEqualTo(EventKind.PATIENT_DISCHARGED);
        assertThat(discharge.visit().visitNumber()).isEqualTo("v900123");
        assertThat(discharge.visit().patientClass()).isEqualTo("IMP");
        assertThat(discharge.visit().dischargedAt()).isEqualTo(Instant.parse("2026-11-26T17:10:00Z"));
        assertThat(discharge.visit().dischargeDisposition()).isEqualTo("home");
        assertThat(discharge.visit().location().description()).isEqualTo("4 West, room 412");
        assertThat(EncounterTransitions.kind("finished", true, Optional.of(new Seen("3", null, "finished", null))))
                .as("the same status again is no news").isNull();
        assertThat(EncounterTransitions.kind("in-progress", false, Optional.empty()))
                .as("an outpatient visit begun is no admission").isNull();
        assertThat(Duration.between(discharge.visit().admittedAt(), discharge.visit().dischargedAt()))
                .isEqualTo(Duration.parse("PT89H55M"));
    }

    private <T extends org.hl7.fhir.instance.model.api.IBaseResource> T read(String sample, Class<T> type)
            throws Exception {
        return fhir.newJsonParser().parseResource(type, Files.readString(Path.of("samples", "fhir", sample)));
    }
}
