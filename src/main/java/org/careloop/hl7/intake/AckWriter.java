package org.careloop.hl7.intake;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the ACK for an inbound message: MSH-5/6 echo the sender's MSH-3/4, MSA-2 echoes MSH-10, MSA-1 is AA/AE/AR
 * (CA/CE/CR in enhanced mode), and every AE/AR carries ERR segments naming what was wrong, in the form the sender's
 * HL7 version defines (ERR-1 up to v2.4, ERR-2/3/4/7 from v2.5). Uses the sender's own delimiters. The ACK is text
 * one char a byte ({@link InboundMessage#echoHeader}), to be sent as ISO-8859-1 ({@link IntakeReply#ackBytes}).
 */
public final class AckWriter {

    private static final DateTimeFormatter HL7_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSxx");
    private static final Set<String> ERR1_VERSIONS = Set.of("2.3", "2.3.1", "2.4");
    private static final String DEFAULT_ENCODING = "^~\\&";
    private static final int MSA3_MAX = 80;

    /** How a sender in enhanced mode (MSH-15/16 valued) is answered. */
    public enum AcceptAcks {
        /** An accept ACK (CA/CE/CR) when MSH-15 asks for one for this outcome, else an original-mode AA/AE/AR. */
        AS_MSH_15_ASKS,
        /**
         * The strict reading: an accept ACK when MSH-15 asks for one, else an application ACK (AA/AE/AR) when MSH-16
         * asks for one for this outcome, else nothing at all (NE/NE).
         */
        STRICT
    }

    private final String ourApplication;
    private final String ourFacility;
    private final Clock clock;
    private final AtomicLong sequence;
    private final AcceptAcks acceptAcks;

    /** @param ourApplication MSH-3 of the ACK when the sender left MSH-5 empty */
    public AckWriter(String ourApplication, String ourFacility, AcceptAcks acceptAcks, Clock clock) {
        this.ourApplication = ourApplication;
        this.ourFacility = ourFacility;
        this.acceptAcks = acceptAcks;
        this.clock = clock;
        this.sequence = new AtomicLong(clock.millis());
    }

    /** Whether the sender is to get any answer for this outcome (a strict NE/NE sender gets none). */
    public boolean answers(InboundMessage inbound, AckCode code) {
        MessageHeader header = inbound.echoHeader();
        return acceptAcks != AcceptAcks.STRICT || header == null || !header.enhancedMode()
                || header.wantsAcceptAck(code) || header.wantsApplicationAck(code);
    }

    public String write(InboundMessage inbound, AckCode code, List<Hl7Error> errors) {
        MessageHeader header = inbound.echoHeader();
        Delimiters d = header == null ? Delimiters.DEFAULT : Delimiters.of(header);
        String version = header == null || header.version().isEmpty() ? "2.5" : header.version();
        StringBuilder ack = new StringBuilder(256);
        ack.append("MSH").append(d.field).append(d.encoding)
                .append(d.field).append(header == null || header.receivingApplication().isEmpty()
                        ? ourApplication : header.receivingApplication())
                .append(d.field).append(header == null || header.receivingFacility().isEmpty()
                        ? ourFacility : header.receivingFacility())
                .append(d.field).append(header == null ? "" : header.sendingApplication())
                .append(d.field).append(header == null ? "" : header.sendingFacility())
                .append(d.field).append(ZonedDateTime.now(clock).format(HL7_TIME))
                .append(d.field)
                .append(d.field).append("ACK");
        if (header != null && !header.triggerEvent().isEmpty()) {
            ack.append(d.component).append(d.escape(header.triggerEvent())).append(d.component).append("ACK");
        }
        ack.append(d.field).append("CL").append(sequence.incrementAndGet())
                .append(d.field).append(header == null || header.processingId().isEmpty() ? "P" : header.processingId())
                .append(d.field).append(version);
        String msh18 = header == null ? "" : header.characterSet();
        if (!msh18.isEmpty()) {
            ack.append(d.field.repeat(6)).append(msh18);
        }
        ack.append('\r');

        boolean acceptAck = header != null && header.wantsAcceptAck(code);
        ack.append("MSA").append(d.field).append(code.code(acceptAck))
                .append(d.field).append(header == null ? "" : header.controlId());
        if (!errors.isEmpty()) {
            String text = errors.get(0).diagnostic();
            ack.append(d.field).append(d.escape(text.length() > MSA3_MAX ? text.substring(0, MSA3_MAX) : text));
        }
        ack.append('\r');

        if (ERR1_VERSIONS.contains(version)) {
            appendErr1(ack, d, errors);
        } else {
            errors.forEach(error -> appendErr25(ack, d, error));
        }
        return ack.toString();
    }

    /** v2.3/2.4: one ERR segment, ERR-1 repeated: segment^sequence^field^code&text&HL70357. */
    private static void appendErr1(StringBuilder ack, Delimiters d, List<Hl7Error> errors) {
        if (errors.isEmpty()) {
            return;
        }
        ack.append("ERR").append(d.field);
        for (int i = 0; i < errors.size(); i++) {
            Hl7Error error = errors.get(i);
            if (i > 0) {
                ack.append(d.repetition);
            }
            ack.append(error.segment()).append(d.component).append(error.segment().isEmpty() ? "" : "1")
                    .append(d.component).append(error.field() > 0 ? String.valueOf(error.field()) : "")
                    .append(d.component).append(error.code())
                    .append(d.subcomponent).append(d.escape(error.codeText()))
                    .append(d.subcomponent).append("HL70357");
        }
        ack.append('\r');
    }

    /** v2.5+: ERR-2 location, ERR-3 code, ERR-4 severity, ERR-7 diagnostic. */
    private static void appendErr25(StringBuilder ack, Delimiters d, Hl7Error error) {
        ack.append("ERR").append(d.field).append(d.field);
        if (!error.segment().isEmpty()) {
            ack.append(error.segment()).append(d.component).append('1');
            if (error.field() > 0) {
                ack.append(d.component).append(error.field());
            }
        }
        ack.append(d.field).append(error.code()).append(d.component).append(d.escape(error.codeText()))
                .append(d.component).append("HL70357")
                .append(d.field).append('E')
                .append(d.field).append(d.field).append(d.field)
                .append(d.field).append(d.escape(error.diagnostic()))
                .append('\r');
    }

    /** The sender's delimiters, and HL7 escaping of our text with them. */
    private record Delimiters(String field, String encoding, char component, char repetition, char escapeChar,
            char subcomponent) {

        static final Delimiters DEFAULT = new Delimiters("|", DEFAULT_ENCODING, '^', '~', '\\', '&');

        static Delimiters of(MessageHeader header) {
            String encoding = header.encodingCharacters().length() >= 4
                    ? header.encodingCharacters().substring(0, 4) : DEFAULT_ENCODING;
            return new Delimiters(String.valueOf(header.fieldSeparator()), encoding,
                    encoding.charAt(0), encoding.charAt(1), encoding.charAt(2), encoding.charAt(3));
        }

        String escape(String text) {
            StringBuilder out = new StringBuilder(text.length());
            for (char c : text.toCharArray()) {
                if (c == escapeChar) {
                    out.append(escapeChar).append('E').append(escapeChar);
                } else if (c == field.charAt(0)) {
                    out.append(escapeChar).append('F').append(escapeChar);
                } else if (c == component) {
                    out.append(escapeChar).append('S').append(escapeChar);
                } else if (c == repetition) {
                    out.append(escapeChar).append('R').append(escapeChar);
                } else if (c == subcomponent) {
                    out.append(escapeChar).append('T').append(escapeChar);
                } else if (c == '\r' || c == '\n') {
                    out.append(' ');
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}
