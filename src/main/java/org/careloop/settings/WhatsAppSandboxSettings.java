package org.careloop.settings;

import java.time.Duration;

/**
 * {@code careloop.whatsapp.sandbox.*}: the Cloud API simulator the engine starts in sandbox mode.
 *
 * @param messagesPerSecond the rate above which it answers 130429, as Meta does
 * @param statusDelay       how long after a send it posts the delivered and read statuses
 */
public record WhatsAppSandboxSettings(String host, int port, double messagesPerSecond, Duration statusDelay) {

    public static WhatsAppSandboxSettings read(SettingsReader settings) {
        return new WhatsAppSandboxSettings(settings.required("careloop.whatsapp.sandbox.host"),
                settings.port("careloop.whatsapp.sandbox.port"),
                settings.positive("careloop.whatsapp.sandbox.messages-per-second"),
                settings.millis("careloop.whatsapp.sandbox.status-delay-ms"));
    }
}
