package org.careloop.app;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.careloop.config.Clocks;
import org.careloop.consent.OptOutWords;
import org.careloop.queue.QueueComponent;
import org.careloop.ops.WhatsAppOperatorApi;
import org.careloop.store.Database;
import org.careloop.store.GroupCommitWriter;
import org.careloop.whatsapp.api.CloudApiClient;
import org.careloop.whatsapp.catalog.TemplateCatalog;
import org.careloop.whatsapp.dispatch.Dispatcher;
import org.careloop.queue.RetryPolicy;
import org.careloop.whatsapp.dispatch.SendGuards;
import org.careloop.whatsapp.outbox.Outbox;
import org.careloop.whatsapp.outbox.OutcomeUnknown;
import org.careloop.whatsapp.simulator.CloudApiSimulator;
import org.careloop.whatsapp.simulator.SimulatorSettings;
import org.careloop.whatsapp.webhook.WebhookInbox;
import org.careloop.whatsapp.webhook.WebhookIntake;
import org.careloop.whatsapp.webhook.WebhookProcessor;
import org.careloop.whatsapp.webhook.WebhookSignature;

/**
 * Builds the WhatsApp side from {@code careloop.whatsapp.*}: the outbox, the dispatcher and its Cloud API client,
 * the webhook intake, and in {@code sandbox} mode the Cloud API simulator the client then talks to. Binds
 * dispatcher, webhookIntake, webhookProcessor, whatsAppOperatorApi, outbox and, in the
 * sandbox, cloudApiSimulator. Runs after {@link CareLoopBeans}, whose store and writer it shares.
 */
public class WhatsAppBeans implements CamelConfiguration {

    /** Secrets of the sandbox: known to the simulator and the engine, worthless anywhere else. */
    static final String SANDBOX_TOKEN = "sandbox-access-token";
    static final String SANDBOX_APP_SECRET = "sandbox-app-secret";

    /** The two ways CareLoop can reach WhatsApp. */
    enum Mode {
        /** The simulator that ships with CareLoop, started by the engine. */
        SANDBOX,
        /** Meta's Graph API. */
        CLOUD
    }

    @PropertyInject("careloop.whatsapp.mode")
    private String mode;
    @PropertyInject(value = "careloop.whatsapp.token", defaultValue = "")
    private String token;
    @PropertyInject(value = "careloop.whatsapp.token-file", defaultValue = "")
    private String tokenFile;
    @PropertyInject(value = "careloop.whatsapp.app-secret", defaultValue = "")
    private String appSecret;
    @PropertyInject(value = "careloop.whatsapp.app-secret-file", defaultValue = "")
    private String appSecretFile;
    @PropertyInject("careloop.http.port")
    private int httpPort;
    @PropertyInject("careloop.whatsapp.verify-token")
    private String verifyToken;
    @PropertyInject("careloop.whatsapp.phone-number-id")
    private String phoneNumberId;
    @PropertyInject("careloop.whatsapp.business-account-id")
    private String businessAccountId;
    @PropertyInject("careloop.whatsapp.catalog")
    private String catalogFile;
    @PropertyInject("careloop.whatsapp.pair-interval-seconds")
    private double pairIntervalSeconds;
    @PropertyInject("careloop.whatsapp.retry.first-seconds")
    private long retryFirstSeconds;
    @PropertyInject("careloop.whatsapp.retry.max-seconds")
    private long retryMaxSeconds;
    @PropertyInject("careloop.whatsapp.retry.max-attempts")
    private int retryMaxAttempts;
    @PropertyInject("careloop.whatsapp.outcome-unknown")
    private String outcomeUnknown;
    @PropertyInject("careloop.whatsapp.webhook-max-bytes")
    private int webhookMaxBytes;
    @PropertyInject("careloop.whatsapp.sandbox.host")
    private String sandboxHost;
    @PropertyInject("careloop.whatsapp.sandbox.port")
    private int sandboxPort;
    @PropertyInject("careloop.whatsapp.sandbox.messages-per-second")
    private double sandboxMessagesPerSecond;
    @PropertyInject("careloop.whatsapp.sandbox.status-delay-ms")
    private long sandboxStatusDelayMillis;
    @PropertyInject("careloop.whatsapp.webhook-url")
    private String webhookUrl;

    @Override
    public void configure(CamelContext camel) throws Exception {
        Registry registry = camel.getRegistry();
        Database database = registry.lookupByNameAndType("careloopStore", Database.class);
        GroupCommitWriter writer = registry.lookupByNameAndType("careloopWriter", GroupCommitWriter.class);
        Clock clock = Clocks.of(camel, java.time.ZoneOffset.UTC);
        Mode mode = Settings.enumValue("careloop.whatsapp.mode", this.mode, Mode.class);
        String accessToken = Secrets.resolve("careloop.whatsapp.token", token, "careloop.whatsapp.token-file",
                tokenFile);
        String secret = Secrets.resolve("careloop.whatsapp.app-secret", appSecret, "careloop.whatsapp.app-secret-file",
                appSecretFile);
        Duration pairInterval = Duration.ofMillis((long) (pairIntervalSeconds * 1000));
        if (mode == Mode.SANDBOX) {
            accessToken = accessToken.isEmpty() ? SANDBOX_TOKEN : accessToken;
            secret = secret.isEmpty() ? SANDBOX_APP_SECRET : secret;
            startSimulator(camel, accessToken, secret, pairInterval);
        } else {
            Secrets.required("careloop.whatsapp.token", accessToken);
            Secrets.required("careloop.whatsapp.app-secret", secret);
        }

        Outbox outbox = new Outbox(writer, database.dataSource());
        SendGuards guards = new SendGuards(writer, database.dataSource());
        QueueComponent queues = camel.getComponent("careloop-queue", QueueComponent.class);
        Dispatcher dispatcher = new Dispatcher(guards,
                new CloudApiClient(camel.createProducerTemplate(), "direct:whatsapp-cloud-api", accessToken), writer,
                pairInterval, new RetryPolicy(Duration.ofSeconds(retryFirstSeconds),
                        Duration.ofSeconds(retryMaxSeconds), retryMaxAttempts),
                Settings.enumValue("careloop.whatsapp.outcome-unknown", outcomeUnknown, OutcomeUnknown.class), clock);
        dispatcher.load(pairInterval);

        registry.bind("outbox", outbox);
        registry.bind("sendGuards", guards);
        registry.bind("dispatcher", dispatcher);
        camel.addStartupListener(new WebhookBodiesAsSent(httpPort, "/webhooks/whatsapp"));
        registry.bind("webhookIntake", new WebhookIntake(new WebhookSignature(secret), verifyToken,
                new WebhookInbox(writer, () -> queues.signal(WebhookInbox.QUEUE)), webhookMaxBytes, clock));
        registry.bind("webhookProcessor", new WebhookProcessor(
                registry.lookupByNameAndType("optOutWords", OptOutWords.class), clock));
        registry.bind("whatsAppOperatorApi", new WhatsAppOperatorApi(outbox, guards, clock));
    }

    private void startSimulator(CamelContext camel, String accessToken, String secret, Duration pairInterval)
            throws Exception {
        CloudApiSimulator simulator = CloudApiSimulator.start(new SimulatorSettings(sandboxHost, sandboxPort,
                accessToken, secret, phoneNumberId, businessAccountId, webhookUrl,
                TemplateCatalog.load(Path.of(catalogFile)), sandboxMessagesPerSecond, pairInterval,
                Duration.ofMillis(sandboxStatusDelayMillis)));
        camel.getRegistry().bind("cloudApiSimulator", simulator);
        Shutdown.closeWith(camel, simulator);
    }
}
