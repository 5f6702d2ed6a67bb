package org.careloop.hl7.intake;

/**
 * One reason a message was not accepted, as it goes into the ERR segment.
 *
 * @param code       HL7 table 0357 (101 required field missing, 200 unsupported message type...)
 * @param segment    the segment at fault, or empty
 * @param field      the field at fault, or 0
 * @param diagnostic a sentence for the interface analyst: names fields, never patient data
 */
public record Hl7Error(int code, String segment, int field, String diagnostic) {

    public static final int SEGMENT_SEQUENCE_ERROR = 100;
    public static final int REQUIRED_FIELD_MISSING = 101;
    public static final int VALUE_TOO_LONG = 104;
    public static final int UNSUPPORTED_MESSAGE_TYPE = 200;
    public static final int UNSUPPORTED_VERSION = 203;
    public static final int DUPLICATE_KEY = 205;
    public static final int INTERNAL_ERROR = 207;

    public static Hl7Error tooLong(String segment, int field, String diagnostic) {
        return new Hl7Error(VALUE_TOO_LONG, segment, field, diagnostic);
    }

    public static Hl7Error missingField(String segment, int field, String diagnostic) {
        return new Hl7Error(REQUIRED_FIELD_MISSING, segment, field, diagnostic);
    }

    public String codeText() {
        return switch (code) {
            case SEGMENT_SEQUENCE_ERROR -> "Segment sequence error";
            case REQUIRED_FIELD_MISSING -> "Required field missing";
            case VALUE_TOO_LONG -> "Value too long";
            case UNSUPPORTED_MESSAGE_TYPE -> "Unsupported message type";
            case UNSUPPORTED_VERSION -> "Unsupported version id";
            case DUPLICATE_KEY -> "Duplicate key identifier";
            default -> "Application internal error";
        };
    }

    /** "SCH-2", for operators and the rejected-messages table. */
    public String location() {
        return segment.isEmpty() ? "" : segment + (field > 0 ? "-" + field : "");
    }
}
