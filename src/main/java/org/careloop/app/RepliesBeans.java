package org.careloop.app;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.careloop.consent.OptOutWords;
import org.careloop.fhir.sandbox.SandboxFhirServer;
import org.careloop.fhir.writeback.AppointmentLocator;
import org.careloop.fhir.writeback.FhirWriteback;
import org.careloop.fhir.writeback.WritebackWorker;
import org.careloop.ops.RepliesOperatorApi;
import org.careloop.replies.ReplyProcessor;
import org.careloop.replies.ReplyRules;
import org.careloop.store.Database;
import org.careloop.store.GroupCommitWriter;
import org.careloop.whatsapp.dispatch.RetryPolicy;

/**
 * Builds the reply side from {@code careloop.replies.*} and {@code careloop.fhir.*}: the reply handling
 * (patientReplies), the FHIR write-back worker (fhirWriteback) and its HAPI client, the operator API
 * (repliesOperatorApi), and in {@code sandbox} mode the FHIR server that ships with CareLoop (sandboxFhirServer).
 */
public class RepliesBeans implements CamelConfiguration {

    /** Where replies are written back. */
    enum FhirMode {
        /** The in-memory FHIR R4 server that ships with CareLoop, started by the engine. */
        SANDBOX,
        /** The hospital's FHIR server. */
        EXTERNAL
    }

    @PropertyInject("careloop.replies.rules-file")
    private String rulesFile;
    @PropertyInject("careloop.replies.correlation-window-hours")
    private double correlationWindowHours;
    @PropertyInject("careloop.consent.opt-out-words")
    private String optOutWords;
    @PropertyInject("careloop.fhir.mode")
    private String fhirMode;
    @PropertyInject("careloop.fhir.sandbox.host")
    private String sandboxHost;
    @PropertyInject("careloop.fhir.sandbox.port")
    private int sandboxPort;
    @PropertyInject("careloop.fhir.base-url")
    private String baseUrl;
    @PropertyInject(value = "careloop.fhir.token", defaultValue = "")
    private String token;
    @PropertyInject(value = "careloop.fhir.token-file", defaultValue = "")
    private String tokenFile;
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
    @PropertyInject("careloop.fhir.connect-timeout-ms")
    private int connectTimeoutMillis;
    @PropertyInject("careloop.fhir.socket-timeout-ms")
    private int socketTimeoutMillis;
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
        String target = baseUrl;
        if (Settings.enumValue("careloop.fhir.mode", fhirMode, FhirMode.class) == FhirMode.SANDBOX) {
            target = startSandboxServer(camel).baseUrl();
        }
        if (conflictAttempts < 1) {
            throw new IllegalArgumentException("careloop.fhir.conflict-attempts=" + conflictAttempts
                    + " is not valid; use 1 or more");
        }

        // A context of its own: the client factory's timeouts are per context, and the cached one is shared.
        FhirContext fhir = FhirContext.forR4();
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        fhir.getRestfulClientFactory().setConnectTimeout(connectTimeoutMillis);
        fhir.getRestfulClientFactory().setSocketTimeout(socketTimeoutMillis);
        IGenericClient client = fhir.newRestfulGenericClient(target);
        String bearer = Secrets.resolve("careloop.fhir.token", token, "careloop.fhir.token-file", tokenFile);
        if (!bearer.isEmpty()) {
            client.registerInterceptor(new BearerTokenAuthInterceptor(bearer));
        }
        FhirWriteback writeback = new FhirWriteback(client,
                Settings.enumValue("careloop.fhir.writeback-mode", writebackMode, FhirWriteback.Mode.class),
                new AppointmentLocator(client, appointmentIdentifierSystem), patientIdentifierSystem,
                Settings.enumValue("careloop.fhir.reschedule-request", rescheduleRequest,
                        FhirWriteback.StaffRequest.class), conflictAttempts);

        registry.bind("patientReplies", new ReplyProcessor(writer, ReplyRules.load(Path.of(rulesFile)),
                new OptOutWords(optOutWords), Duration.ofMinutes(Math.round(correlationWindowHours * 60)), clock));
        registry.bind("fhirWriteback", new WritebackWorker(writeback, fhir, database.dataSource(), writer,
                new RetryPolicy(Duration.ofSeconds(retryFirstSeconds), Duration.ofSeconds(retryMaxSeconds),
                        Integer.MAX_VALUE), 20, clock));
        registry.bind("repliesOperatorApi", new RepliesOperatorApi(database.dataSource(), writer, clock));
    }

    private SandboxFhirServer startSandboxServer(CamelContext camel) throws Exception {
        SandboxFhirServer server = new SandboxFhirServer(sandboxHost, sandboxPort).start();
        camel.getRegistry().bind("sandboxFhirServer", server);
        Shutdown.closeWith(camel, server);
        return server;
    }
}
