package org.careloop.testing;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.careloop.consent.ConsentStatus;
import org.careloop.consent.ConsentStore;
import org.careloop.whatsapp.api.CloudApiRequests;
import org.careloop.whatsapp.api.TemplateMessage;
import org.careloop.whatsapp.outbox.NewOutbound;
import org.careloop.whatsapp.outbox.OutboundMessage;
import org.careloop.whatsapp.outbox.OutboundState;
import org.careloop.whatsapp.outbox.Outbox;

/** Plans messages the way the planner will, and reads rows back, for the WhatsApp tests. */
public record Outboxes(Outbox outbox, ConsentStore consents) {

    /** The outbox and consent store of a running engine. */
    public static Outboxes of(org.careloop.app.CareLoopEngine engine) {
        return new Outboxes(engine.bean("outbox", Outbox.class), engine.bean("consentStore", ConsentStore.class));
    }

    /**
     * An appointment_confirmation or appointment_reminder (3 parameters each, Confirm/Cancel/Reschedule), to a number
     * with an opt-in on record: no business-initiated message goes out without one, in tests too.
     */
    public long planTemplate(String key, String to, String template, Instant due) throws Exception {
        int parameters = 3;
        consents.record("TEST|" + to, to, ConsentStatus.OPT_IN, "test", null, Instant.now()).get(10, TimeUnit.SECONDS);
        String request = CloudApiRequests.template(new TemplateMessage(to, template, "en_US", List.of(),
                IntStream.rangeClosed(1, parameters).mapToObj(i -> TemplateMessage.Parameter.positional("value " + i))
                        .toList(),
                List.of(new TemplateMessage.QuickReply(0, "CONFIRM:" + key),
                        new TemplateMessage.QuickReply(1, "CANCEL:" + key))));
        return outbox.plan(new NewOutbound(key, to, "template", template, "en_US", request, due), Instant.now())
                .get(10, TimeUnit.SECONDS);
    }

    public long planText(String key, String to, String text) throws Exception {
        consents.record("TEST|" + to, to, ConsentStatus.OPT_IN, "test", null, Instant.now()).get(10, TimeUnit.SECONDS);
        return outbox.plan(new NewOutbound(key, to, "text", null, null, CloudApiRequests.text(to, text),
                Instant.now()), Instant.now()).get(10, TimeUnit.SECONDS);
    }

    public OutboundMessage row(long id) throws Exception {
        return outbox.find(id).orElseThrow();
    }

    public OutboundState state(long id) throws Exception {
        return row(id).state();
    }
}
