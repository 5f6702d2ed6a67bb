package org.careloop.app;

import java.time.Clock;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.careloop.config.Clocks;
import org.careloop.consent.OptOutWords;
import org.careloop.queue.QueueComponent;
import org.careloop.ops.WhatsAppOperatorApi;
import org.careloop.settings.HttpSettings;
import org.careloop.settings.WhatsAppSandboxSettings;
import org.careloop.settings.WhatsAppSettings;
import org.careloop.store.Database;
import org.careloop.store.GroupCommitWriter;
import org.careloop.whatsapp.api.CloudApiClient;
import org.careloop.whatsapp.catalog.TemplateCatalog;
import org.careloop.whatsapp.dispatch.Dispatcher;
import org.careloop.whatsapp.dispatch.SendGuards;
import org.careloop.whatsapp.outbox.Outbox;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.SimulatorSettings;
import org.careloop.whatsapp.webhook.WebhookInbox;
import org.careloop.whatsapp.webhook.WebhookIntake;
import org.careloop.whatsapp.webhook.WebhookProcessor;
import org.careloop.whatsapp.webhook.WebhookSignature;

/**
 * Builds the WhatsApp side from its settings: the outbox, the dispatcher and its Cloud API client,
 * the webhook intake, and in {@code sandbox} mode the Cloud API simulator the client then talks to. Binds
 * dispatcher, webhookIntake, webhookProcessor, whatsAppOperatorApi, outbox and, in the
 * sandbox, cloudApiSimulator. Runs after {@link CareLoopBeans}, whose store and writer it shares.
 */
public class WhatsAppBeans implements CamelConfiguration {

    /** Secrets of the sandbox: known to the simulator and the engine, worthless anywhere else. */
    static final String SANDBOX_TOKEN = "sandbox-access-token";
    static final String SANDBOX_APP_SECRET = "sandbox-app-secret";

    @Override
    public void configure(CamelContext camel) throws Exception {
        WhatsAppSettings whatsApp = SettingsBeans.of(camel, WhatsAppSettings.class);
        WhatsAppSettings.Dispatch sending = whatsApp.dispatch();
        Registry registry = camel.getRegistry();
        Database database = registry.lookupByNameAndType("careloopStore", Database.class);
        GroupCommitWriter writer = registry.lookupByNameAndType("careloopWriter", GroupCommitWriter.class);
        Clock clock = Clocks.of(camel, java.time.ZoneOffset.UTC);
        String accessToken;
        String secret;
        if (whatsApp.sandbox()) {
            accessToken = whatsApp.cloudApi().token().orElse(SANDBOX_TOKEN);
            secret = whatsApp.webhook().appSecret().orElse(SANDBOX_APP_SECRET);
            startSimulator(camel, whatsApp, accessToken, secret);
        } else {
            accessToken = whatsApp.cloudApi().token().required();
            secret = whatsApp.webhook().appSecret().required();
        }

        Outbox outbox = new Outbox(writer, database.dataSource());
        SendGuards guards = new SendGuards(writer, database.dataSource());
        QueueComponent queues = camel.getComponent("careloop-queue", QueueComponent.class);
        Dispatcher dispatcher = new Dispatcher(guards,
                new CloudApiClient(camel.createProducerTemplate(), "direct:whatsapp-cloud-api", accessToken), writer,
                sending.pairInterval(), sending.retry(), sending.outcomeUnknown(), clock);
        dispatcher.load(sending.pairInterval());

        registry.bind("outbox", outbox);
        registry.bind("sendGuards", guards);
        registry.bind("dispatcher", dispatcher);
        camel.addStartupListener(new WebhookBodiesAsSent(SettingsBeans.of(camel, HttpSettings.class).port(),
                "/webhooks/whatsapp"));
        registry.bind("webhookIntake", new WebhookIntake(new WebhookSignature(secret),
                whatsApp.webhook().verifyToken().value(),
                new WebhookInbox(writer, () -> queues.signal(WebhookInbox.QUEUE)), whatsApp.webhook().maxBytes(),
                clock));
        registry.bind("webhookProcessor", new WebhookProcessor(
                registry.lookupByNameAndType("optOutWords", OptOutWords.class), clock));
        registry.bind("whatsAppOperatorApi", new WhatsAppOperatorApi(outbox, guards, clock));
    }

    private void startSimulator(CamelContext camel, WhatsAppSettings whatsApp, String accessToken, String secret)
            throws Exception {
        WhatsAppSandboxSettings sandbox = SettingsBeans.of(camel, WhatsAppSandboxSettings.class);
        CloudApiSimulator simulator = CloudApiSimulator.start(new SimulatorSettings(sandbox.host(), sandbox.port(),
                accessToken, secret, whatsApp.cloudApi().phoneNumberId(), whatsApp.cloudApi().businessAccountId(),
                whatsApp.webhook().url(), TemplateCatalog.load(whatsApp.catalog()), sandbox.messagesPerSecond(),
                whatsApp.dispatch().pairInterval(), sandbox.statusDelay()));
        camel.getRegistry().bind("cloudApiSimulator", simulator);
        Shutdown.closeWith(camel, simulator);
    }
}
