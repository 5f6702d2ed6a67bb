package org.careloop.testing;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** An ACK as the sender reads it: its segments and fields, by HL7 position (MSH-n counted the HL7 way). */
public record Ack(List<String> segments) {

    public static Ack of(byte[] ack) {
        return of(ack, StandardCharsets.UTF_8);
    }

    public static Ack of(byte[] ack, Charset charset) {
        return new Ack(Arrays.asList(new String(ack, charset).split("\r")));
    }

    public String code() {
        return field("MSA", 1);
    }

    /** A whole field of the first segment with this id, or "". */
    public String field(String segment, int field) {
        return segments.stream().filter(s -> s.startsWith(segment + "|")).findFirst()
                .map(s -> nth(s.split("\\|", -1), "MSH".equals(segment) ? field - 1 : field))
                .orElse("");
    }

    public List<String> errSegments() {
        return segments.stream().filter(s -> s.startsWith("ERR|")).toList();
    }

    private static String nth(String[] fields, int index) {
        return index < fields.length ? fields[index] : "";
    }

    @Override
    public String toString() {
        return String.join("\\r", segments);
    }
}
