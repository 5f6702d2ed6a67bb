package org.careloop.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import javax.sql.DataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.careloop.config.Clocks;
import org.careloop.consent.OptOutWords;
import org.careloop.event.CareEventStore;
import org.careloop.hl7.extract.CareEventExtractor;
import org.careloop.hl7.extract.ConsentField;
import org.careloop.hl7.extract.SiteCodes;
import org.careloop.hl7.intake.AckCode;
import org.careloop.hl7.intake.AckWriter;
import org.careloop.hl7.intake.Hl7Intake;
import org.careloop.hl7.intake.IntakeScreen;
import org.careloop.hl7.journal.Hl7Journal;
import org.careloop.hl7.journal.RejectedMessages;
import org.careloop.hl7.mllp.CareLoopMllpComponent;
import org.careloop.hl7.processing.Hl7ToCareEvent;
import org.careloop.ops.ApiToken;
import org.careloop.ops.OperatorApi;
import org.careloop.ops.QueuesApi;
import org.careloop.ops.StageFailuresApi;
import org.careloop.queue.QueueComponent;
import org.careloop.store.Database;
import org.careloop.store.Durability;
import org.careloop.store.GroupCommitWriter;

/**
 * Builds CareLoop's beans from {@code careloop.*} properties and binds them under the names the YAML routes use
 * (hl7Intake, hl7ToCareEvent, operatorApi, apiToken; careloopStore and careloopWriter for the other parts). The store and its writer are Camel services: they start
 * before the routes and stop after them.
 */
public class CareLoopBeans implements CamelConfiguration {

    @PropertyInject("careloop.site.time-zone")
    private String timeZone;
    @PropertyInject("careloop.site.phone-region")
    private String phoneRegion;
    @PropertyInject("careloop.data-dir")
    private String dataDir;
    @PropertyInject("careloop.store.url")
    private String storeUrl;
    @PropertyInject("careloop.store.user")
    private String storeUser;
    @PropertyInject(value = "careloop.store.password", defaultValue = "")
    private String storePassword;
    @PropertyInject("careloop.store.pool-size")
    private int poolSize;
    @PropertyInject("careloop.store.durability")
    private String durability;
    @PropertyInject("careloop.store.group-commit-max")
    private int groupCommitMax;
    @PropertyInject("careloop.mllp.default-charset")
    private String defaultCharset;
    @PropertyInject("careloop.hl7.application")
    private String application;
    @PropertyInject("careloop.hl7.facility")
    private String facility;
    @PropertyInject("careloop.hl7.accept-acks")
    private String acceptAcks;
    @PropertyInject("careloop.hl7.control-id-reuse")
    private String controlIdReuse;
    @PropertyInject("careloop.hl7.unhandled-type-ack")
    private String unhandledTypeAck;
    @PropertyInject("careloop.hl7.commit-timeout-ms")
    private long commitTimeoutMillis;
    @PropertyInject(value = "careloop.hl7.site-codes", defaultValue = "")
    private String siteCodesFile;
    @PropertyInject(value = "careloop.api.token", defaultValue = "")
    private String apiToken;
    @PropertyInject(value = "careloop.consent.hl7-field", defaultValue = "")
    private String consentField;
    @PropertyInject(value = "careloop.consent.hl7-opt-in-values", defaultValue = "")
    private String consentOptIn;
    @PropertyInject(value = "careloop.consent.hl7-opt-out-values", defaultValue = "")
    private String consentOptOut;
    @PropertyInject("careloop.consent.opt-out-words")
    private String optOutWords;
    @PropertyInject(value = "careloop.consent.opt-out-words-in-short-replies", defaultValue = "")
    private String optOutWordsInShortReplies;
    @PropertyInject(value = "careloop.consent.probable-opt-out-words", defaultValue = "")
    private String probableOptOutWords;
    @PropertyInject("careloop.consent.short-reply-max-words")
    private int shortReplyMaxWords;
    @PropertyInject("careloop.mllp.max-frame-bytes")
    private int maxFrameBytes;
    @PropertyInject("careloop.hl7.max-field-chars")
    private int maxFieldChars;
    @PropertyInject("careloop.hl7.rejected-max-bytes")
    private int rejectedMaxBytes;
    @PropertyInject("careloop.mllp.port")
    private int mllpPort;
    @PropertyInject("careloop.http.port")
    private int httpPort;
    @PropertyInject("careloop.whatsapp.mode")
    private String whatsAppMode;
    @PropertyInject("careloop.whatsapp.sandbox.port")
    private int whatsAppSandboxPort;
    @PropertyInject("careloop.fhir.mode")
    private String fhirMode;
    @PropertyInject("careloop.fhir.sandbox.port")
    private int fhirSandboxPort;

    @Override
    public void configure(CamelContext camel) throws Exception {
        listenerPorts().requireDistinct();
        camel.addStartupListener(new RunningSummary());
        Clock clock = Clocks.of(camel, zone());
        Database database = new Database(storeUrl, storeUser, storePassword, poolSize, Settings.enumValue("careloop.store.durability", durability, Durability.class));
        GroupCommitWriter writer = new GroupCommitWriter(database, groupCommitMax);
        database.start();
        writer.start();
        camel.addService(database, true, false);
        camel.addService(writer, true, false);
        DataSource dataSource = database.dataSource();

        QueueComponent queues = camel.getComponent("careloop-queue", QueueComponent.class);
        RejectedMessages rejected = new RejectedMessages(writer, dataSource, rejectedMaxBytes);
        Hl7Journal journal = new Hl7Journal(writer, dataSource, rejected,
                Settings.enumValue("careloop.hl7.control-id-reuse", controlIdReuse, Hl7Journal.ControlIdReuse.class),
                () -> queues.signal(Hl7Journal.QUEUE));
        Hl7Intake intake = new Hl7Intake(
                new IntakeScreen(Settings.enumValue("careloop.hl7.unhandled-type-ack", unhandledTypeAck, AckCode.class),
                        maxFrameBytes, maxFieldChars), journal, rejected,
                new AckWriter(application, facility,
                        Settings.enumValue("careloop.hl7.accept-acks", acceptAcks, AckWriter.AcceptAcks.class), clock), Settings.charset("careloop.mllp.default-charset",
                        defaultCharset), commitTimeoutMillis, clock);
        CareEventStore events = new CareEventStore(dataSource, writer, clock,
                () -> queues.signal(CareEventStore.QUEUE));
        CareEventExtractor extractor = new CareEventExtractor(zone(), phoneRegion, siteCodes(),
                ConsentField.parse(consentField, consentOptIn, consentOptOut));

        Registry registry = camel.getRegistry();
        registry.bind("mllp", new CareLoopMllpComponent(maxFrameBytes));
        registry.bind("careloopStore", database);
        registry.bind("careloopWriter", writer);
        registry.bind("careEventStore", events);
        registry.bind("optOutWords", new OptOutWords(optOutWords, optOutWordsInShortReplies, probableOptOutWords,
                shortReplyMaxWords));
        registry.bind("hl7Intake", intake);
        registry.bind("hl7ToCareEvent", new Hl7ToCareEvent(journal, extractor, clock));
        registry.bind("operatorApi", new OperatorApi(journal, rejected, events, intake, clock));
        registry.bind("stageFailuresApi", new StageFailuresApi(dataSource, writer, queues, clock));
        registry.bind("queuesApi", new QueuesApi(dataSource, queues));
        registry.bind("apiToken", ApiToken.resolve(apiToken, Path.of(dataDir)));
    }

    /** Every port this engine will listen on; the sandboxes only in their modes. */
    private ListenerPorts listenerPorts() {
        ListenerPorts ports = new ListenerPorts().add("careloop.mllp.port", mllpPort)
                .add("careloop.http.port", httpPort);
        if (whatsAppMode.trim().equalsIgnoreCase("sandbox")) {
            ports.add("careloop.whatsapp.sandbox.port", whatsAppSandboxPort);
        }
        if (fhirMode.trim().equalsIgnoreCase("sandbox")) {
            ports.add("careloop.fhir.sandbox.port", fhirSandboxPort);
        }
        return ports;
    }

    private ZoneId zone() {
        return Settings.zone("careloop.site.time-zone", timeZone);
    }

    private SiteCodes siteCodes() {
        if (siteCodesFile.isBlank()) {
            return SiteCodes.none();
        }
        Path file = Path.of(siteCodesFile);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("careloop.hl7.site-codes names " + file.toAbsolutePath()
                    + ", which does not exist; create it or set careloop.hl7.site-codes to an empty value");
        }
        return SiteCodes.load(file);
    }
}
