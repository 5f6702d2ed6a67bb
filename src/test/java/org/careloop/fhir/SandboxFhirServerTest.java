package org.careloop.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sandbox FHIR server over real HTTP: versions, If-Match on update and patch, search by identifier. */
class SandboxFhirServerTest {

    private SandboxFhirServer server;
    private IGenericClient client;

    @BeforeEach
    void start() throws Exception {
        server = new SandboxFhirServer("127.0.0.1", 0).start();
        client = FhirContext.forR4Cached().newRestfulGenericClient(server.baseUrl());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void keepsVersionsAndRefusesAStaleIfMatchWith409() {
        Appointment created = appointment();
        IdType id = (IdType) client.create().resource(created).execute().getId();
        assertThat(id.getVersionIdPart()).isEqualTo("1");

        Appointment v1 = client.read().resource(Appointment.class).withId(id.getIdPart()).execute();
        v1.setComment("first edit");
        assertThat(client.update().resource(v1).execute().getId().getVersionIdPart()).isEqualTo("2");

        v1.setComment("edit based on version 1");
        assertThatThrownBy(() -> client.update().resource(v1).execute())
                .isInstanceOf(ResourceVersionConflictException.class).hasMessageContaining("HAPI-0989");
        assertThat(server.appointments().current(id.getIdPart()).getComment()).isEqualTo("first edit");
    }

    @Test
    void patchNeedsIfMatch() {
        IdType id = (IdType) client.create().resource(appointment()).execute().getId();
        String patch = "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"cancelled\"}]";

        assertThatThrownBy(() -> client.patch().withBody(patch).withId(id.toUnqualifiedVersionless()).execute())
                .isInstanceOf(PreconditionFailedException.class);
        client.patch().withBody(patch).withId(id.toUnqualifiedVersionless()).withAdditionalHeader("If-Match", "W/\"1\"")
                .execute();

        assertThat(server.appointments().current(id.getIdPart()).getStatus())
                .isEqualTo(Appointment.AppointmentStatus.CANCELLED);
    }

    @Test
    void findsByIdentifier() {
        client.create().resource(appointment()).execute();

        Bundle found = client.search().forResource(Appointment.class)
                .where(Appointment.IDENTIFIER.exactly().systemAndCode("urn:careloop:appointment:EPIC", "36996"))
                .returnBundle(Bundle.class).execute();

        assertThat(found.getEntry()).hasSize(1);
    }

    private static Appointment appointment() {
        Appointment appointment = new Appointment();
        appointment.setStatus(Appointment.AppointmentStatus.BOOKED);
        appointment.addIdentifier().setSystem("urn:careloop:appointment:EPIC").setValue("36996");
        appointment.addParticipant().setStatus(Appointment.ParticipationStatus.NEEDSACTION).getActor()
                .setReference("Patient/1001");
        return appointment;
    }
}
