package org.careloop.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.careloop.config.Clocks;
import org.careloop.event.CareEventStore;
import org.careloop.hl7.extract.CareEventExtractor;
import org.careloop.hl7.extract.SiteCodes;
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
import org.careloop.settings.ConsentSettings;
import org.careloop.settings.Hl7Settings;
import org.careloop.settings.HttpSettings;
import org.careloop.settings.MllpSettings;
import org.careloop.settings.SiteSettings;
import org.careloop.settings.StoreSettings;
import org.careloop.store.Database;
import org.careloop.store.GroupCommitWriter;

/**
 * Builds the store and the HL7 side from their settings (bound by {@link SettingsBeans}) and binds them under the
 * names the YAML routes use (hl7Intake, hl7ToCareEvent, operatorApi, apiToken; careloopStore and careloopWriter for
 * the other parts). The store and its writer are Camel services: they start before the routes and stop after them.
 */
public class CareLoopBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        SiteSettings site = SettingsBeans.of(camel, SiteSettings.class);
        StoreSettings store = SettingsBeans.of(camel, StoreSettings.class);
        MllpSettings mllp = SettingsBeans.of(camel, MllpSettings.class);
        Hl7Settings hl7 = SettingsBeans.of(camel, Hl7Settings.class);
        ConsentSettings consent = SettingsBeans.of(camel, ConsentSettings.class);
        camel.addStartupListener(new RunningSummary());
        Clock clock = Clocks.of(camel, site.zone());
        Database database = new Database(store.url(), store.user(), store.password().value(), store.poolSize(),
                store.durability(), store.claimLease());
        GroupCommitWriter writer = new GroupCommitWriter(database, store.groupCommitMax());
        database.start();
        writer.start();
        camel.addService(database, true, false);
        camel.addService(writer, true, false);
        DataSource dataSource = database.dataSource();

        QueueComponent queues = camel.getComponent("careloop-queue", QueueComponent.class);
        RejectedMessages rejected = new RejectedMessages(writer, dataSource, hl7.rejectedMaxBytes());
        Hl7Journal journal = new Hl7Journal(writer, dataSource, rejected, hl7.controlIdReuse(),
                () -> queues.signal(Hl7Journal.QUEUE));
        Hl7Intake intake = new Hl7Intake(new IntakeScreen(hl7.unhandledTypeAck(), mllp.maxFrameBytes(),
                hl7.maxFieldChars()), journal, rejected,
                new AckWriter(hl7.application(), hl7.facility(), hl7.acceptAcks(), clock), mllp.defaultCharset(),
                hl7.commitTimeout().toMillis(), clock);
        CareEventStore events = new CareEventStore(dataSource, writer, clock,
                () -> queues.signal(CareEventStore.QUEUE));
        CareEventExtractor extractor = new CareEventExtractor(site.zone(), site.phoneRegion(),
                hl7.siteCodes().map(CareLoopBeans::siteCodes).orElse(SiteCodes.none()), consent.hl7Field());

        Registry registry = camel.getRegistry();
        registry.bind("mllp", new CareLoopMllpComponent(mllp.maxFrameBytes()));
        registry.bind("careloopStore", database);
        registry.bind("careloopWriter", writer);
        registry.bind("careEventStore", events);
        registry.bind("optOutWords", consent.optOutWords());
        registry.bind("hl7Intake", intake);
        registry.bind("hl7ToCareEvent", new Hl7ToCareEvent(journal, extractor, clock));
        registry.bind("operatorApi", new OperatorApi(journal, rejected, events, intake, clock));
        registry.bind("stageFailuresApi", new StageFailuresApi(dataSource, writer, queues, clock));
        registry.bind("queuesApi", new QueuesApi(dataSource, queues));
        registry.bind("apiToken", ApiToken.resolve(SettingsBeans.of(camel, HttpSettings.class).apiToken().value(),
                site.dataDir()));
    }

    private static SiteCodes siteCodes(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("careloop.hl7.site-codes names " + file.toAbsolutePath()
                    + ", which does not exist; create it or set careloop.hl7.site-codes to an empty value");
        }
        return SiteCodes.load(file);
    }
}
