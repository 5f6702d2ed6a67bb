package org.careloop.app;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.careloop.config.Clocks;
import org.careloop.consent.OptOutWords;
import org.careloop.fhir.writeback.AppointmentLocator;
import org.careloop.fhir.writeback.FhirWriteback;
import org.careloop.fhir.writeback.WritebackWorker;
import org.careloop.ops.RepliesOperatorApi;
import org.careloop.planning.MessageRenderer;
import org.careloop.replies.ReplyProcessor;
import org.careloop.replies.ReplyRules;
import org.careloop.store.Database;
import org.careloop.store.GroupCommitWriter;
import org.careloop.queue.RetryPolicy;

/**
 * Builds the reply side from {@code careloop.replies.*} and {@code careloop.fhir.*}: the reply handling
 * (replyProcessor), the FHIR write-back worker (writebackWorker) on {@link FhirBeans}' client, and the operator API
 * (repliesOperatorApi).
 */
public class RepliesBeans implements CamelConfiguration {

    @PropertyInject("careloop.replies.rules-file")
    private String rulesFile;
    @PropertyInject("careloop.replies.correlation-window-hours")
    private double correlationWindowHours;
    @PropertyInject("careloop.fhir.writeback-mode")
    private String writebackMode;
    @PropertyInject("careloop.fhir.appointment-identifier-system")
    private String appointmentIdentifierSystem;
    @PropertyInject("careloop.fhir.patient-identifier-system")
    private String patientIdentifierSystem;
    @PropertyInject("careloop.fhir.reschedule-request")
    private String rescheduleRequest;
    @PropertyInject("careloop.fhir.conflict-attempts")
    private int conflictAttempts;
    @PropertyInject("careloop.fhir.retry.first-seconds")
    private long retryFirstSeconds;
    @PropertyInject("careloop.fhir.retry.max-seconds")
    private long retryMaxSeconds;

    @Override
    public void configure(CamelContext camel) throws Exception {
        Registry registry = camel.getRegistry();
        Database database = registry.lookupByNameAndType("careloopStore", Database.class);
        GroupCommitWriter writer = registry.lookupByNameAndType("careloopWriter", GroupCommitWriter.class);
        Clock clock = Clocks.of(camel, ZoneOffset.UTC);
        if (conflictAttempts < 1) {
            throw new IllegalArgumentException("careloop.fhir.conflict-attempts=" + conflictAttempts
                    + " is not valid; use 1 or more");
        }
        FhirContext fhir = registry.lookupByNameAndType("fhirContext", FhirContext.class);
        IGenericClient client = registry.lookupByNameAndType("fhirClient", IGenericClient.class);
        FhirWriteback writeback = new FhirWriteback(client,
                Settings.enumValue("careloop.fhir.writeback-mode", writebackMode, FhirWriteback.Mode.class),
                new AppointmentLocator(client, appointmentIdentifierSystem), patientIdentifierSystem,
                Settings.enumValue("careloop.fhir.reschedule-request", rescheduleRequest,
                        FhirWriteback.StaffRequest.class), conflictAttempts);

        registry.bind("replyProcessor", new ReplyProcessor(ReplyRules.load(Path.of(rulesFile)),
                registry.lookupByNameAndType("messageRenderer", MessageRenderer.class),
                registry.lookupByNameAndType("optOutWords", OptOutWords.class), Duration.ofMinutes(Math.round(correlationWindowHours * 60)), clock));
        registry.bind("writebackWorker", new WritebackWorker(writeback, fhir, database.dataSource(),
                new RetryPolicy(Duration.ofSeconds(retryFirstSeconds), Duration.ofSeconds(retryMaxSeconds),
                        Integer.MAX_VALUE), clock));
        registry.bind("repliesOperatorApi", new RepliesOperatorApi(database.dataSource(), writer, clock));
    }
}
