package org.careloop.app;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Clock;
import java.time.ZoneOffset;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
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
import org.careloop.settings.FhirSettings;
import org.careloop.settings.RepliesSettings;
import org.careloop.store.Database;
import org.careloop.store.GroupCommitWriter;

/**
 * Builds the reply side from its settings and the FHIR settings: the reply handling
 * (replyProcessor), the FHIR write-back worker (writebackWorker) on {@link FhirBeans}' client, and the operator API
 * (repliesOperatorApi).
 */
public class RepliesBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        Registry registry = camel.getRegistry();
        Database database = registry.lookupByNameAndType("careloopStore", Database.class);
        GroupCommitWriter writer = registry.lookupByNameAndType("careloopWriter", GroupCommitWriter.class);
        Clock clock = Clocks.of(camel, ZoneOffset.UTC);
        FhirSettings fhirSettings = SettingsBeans.of(camel, FhirSettings.class);
        RepliesSettings replies = SettingsBeans.of(camel, RepliesSettings.class);
        FhirContext fhir = registry.lookupByNameAndType("fhirContext", FhirContext.class);
        IGenericClient client = registry.lookupByNameAndType("fhirClient", IGenericClient.class);
        FhirWriteback writeback = new FhirWriteback(client, fhirSettings.writebackMode(),
                new AppointmentLocator(client, fhirSettings.appointmentIdentifierSystem()),
                fhirSettings.patientIdentifierSystem(), fhirSettings.rescheduleRequest(), fhirSettings.clinicalReview(),
                fhirSettings.conflictAttempts());

        registry.bind("replyProcessor", new ReplyProcessor(ReplyRules.load(replies.rulesFile()),
                registry.lookupByNameAndType("messageRenderer", MessageRenderer.class),
                registry.lookupByNameAndType("optOutWords", OptOutWords.class), replies.correlationWindow(),
                fhirSettings.adherenceWriteback() == FhirWriteback.AdherenceWriteback.MEDICATION_STATEMENT, clock));
        registry.bind("writebackWorker", new WritebackWorker(writeback, fhir, database.dataSource(),
                fhirSettings.retry(), clock));
        registry.bind("repliesOperatorApi", new RepliesOperatorApi(database.dataSource(), writer, clock));
    }
}
