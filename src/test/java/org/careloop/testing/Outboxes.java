package org.careloop.testing;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.careloop.whatsapp.api.CloudApiRequests;
import org.careloop.whatsapp.api.TemplateMessage;
import org.careloop.whatsapp.outbox.NewOutbound;
import org.careloop.whatsapp.outbox.OutboundMessage;
import org.careloop.whatsapp.outbox.OutboundState;
import org.careloop.whatsapp.outbox.Outbox;

/** Plans messages the way the planner will, and reads rows back, for the WhatsApp tests. */
public record Outboxes(Outbox outbox) {

    /** An appointment_confirmation (4 parameters, Confirm/Cancel/Reschedule) or appointment_reminder (3). */
    public long planTemplate(String key, String to, String template, Instant due) throws Exception {
        int parameters = "appointment_confirmation".equals(template) ? 4 : 3;
        String request = CloudApiRequests.template(new TemplateMessage(to, template, "en_US", List.of(),
                IntStream.rangeClosed(1, parameters).mapToObj(i -> TemplateMessage.Parameter.positional("value " + i))
                        .toList(),
                List.of(new TemplateMessage.QuickReply(0, "CONFIRM:" + key),
                        new TemplateMessage.QuickReply(1, "CANCEL:" + key))));
        return outbox.plan(new NewOutbound(key, to, "template", template, "en_US", request, due), Instant.now())
                .get(10, TimeUnit.SECONDS);
    }

    public long planText(String key, String to, String text) throws Exception {
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
