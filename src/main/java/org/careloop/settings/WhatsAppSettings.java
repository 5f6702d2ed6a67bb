package org.careloop.settings;

import java.nio.file.Path;
import java.time.Duration;
import org.careloop.queue.RetryPolicy;
import org.careloop.whatsapp.outbox.OutcomeUnknown;

/**
 * {@code careloop.whatsapp.*}: how CareLoop reaches WhatsApp, sends and hears back.
 *
 * @param catalog the template catalog file
 */
public record WhatsAppSettings(Mode mode, CloudApi cloudApi, Path catalog, Dispatch dispatch, Webhook webhook) {

    /** The two ways CareLoop can reach WhatsApp. */
    public enum Mode {
        /** The simulator that ships with CareLoop, started by the engine. */
        SANDBOX,
        /** Meta's Graph API. */
        CLOUD
    }

    /**
     * Meta's Cloud API (or the sandbox) and the business number CareLoop sends from.
     *
     * @param token the access token; in sandbox mode the sandbox's own when empty
     */
    public record CloudApi(String baseUrl, String apiVersion, String phoneNumberId, String businessAccountId,
            Secret token) {
    }

    /**
     * How the outbox's messages are sent.
     *
     * @param messagesPerSecond the number's send rate
     * @param pairInterval      the least time between two messages to one patient
     * @param maxInFlight       the most sends awaiting an answer at once (0: no limit beyond the rate)
     * @param outcomeUnknown    what happens to a send whose outcome is unknown (a timeout, a crash mid-send)
     */
    public record Dispatch(boolean enabled, Duration idlePoll, double messagesPerSecond, Duration pairInterval,
            int maxInFlight, RetryPolicy retry, OutcomeUnknown outcomeUnknown) {
    }

    /**
     * The webhook Meta (or the sandbox) posts statuses and replies to.
     *
     * @param url       where the sandbox posts (Meta's is set in the app's dashboard)
     * @param appSecret the key of the payloads' signatures; in sandbox mode the sandbox's own when empty
     */
    public record Webhook(String url, Secret verifyToken, Secret appSecret, int maxBytes, Duration idlePoll) {
    }

    public static WhatsAppSettings read(SettingsReader settings) {
        return new WhatsAppSettings(settings.choice("careloop.whatsapp.mode", Mode.class),
                new CloudApi(settings.required("careloop.whatsapp.base-url"),
                        settings.required("careloop.whatsapp.api-version"),
                        settings.required("careloop.whatsapp.phone-number-id"),
                        settings.required("careloop.whatsapp.business-account-id"),
                        settings.secret("careloop.whatsapp.token", "careloop.whatsapp.token-file")),
                settings.path("careloop.whatsapp.catalog"),
                new Dispatch(settings.flag("careloop.whatsapp.dispatch.enabled"),
                        settings.millis("careloop.whatsapp.dispatch.idle-poll-ms"),
                        settings.positive("careloop.whatsapp.messages-per-second"),
                        settings.seconds("careloop.whatsapp.pair-interval-seconds"),
                        settings.integer("careloop.whatsapp.max-in-flight", 0),
                        new RetryPolicy(settings.seconds("careloop.whatsapp.retry.first-seconds"),
                                settings.seconds("careloop.whatsapp.retry.max-seconds"),
                                settings.integer("careloop.whatsapp.retry.max-attempts", 1)),
                        settings.choice("careloop.whatsapp.outcome-unknown", OutcomeUnknown.class)),
                new Webhook(settings.required("careloop.whatsapp.webhook-url"),
                        settings.secret("careloop.whatsapp.verify-token"),
                        settings.secret("careloop.whatsapp.app-secret", "careloop.whatsapp.app-secret-file"),
                        settings.integer("careloop.whatsapp.webhook-max-bytes", 1024),
                        settings.millis("careloop.whatsapp.webhook.idle-poll-ms")));
    }

    public boolean sandbox() {
        return mode == Mode.SANDBOX;
    }
}
