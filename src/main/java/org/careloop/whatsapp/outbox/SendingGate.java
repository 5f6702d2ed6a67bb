package org.careloop.whatsapp.outbox;

/** Whether messages may be handed on to be sent now: closed while sending is stopped (the circuit is open). */
@FunctionalInterface
public interface SendingGate {

    boolean open();
}
