package org.careloop.testing;

import java.nio.charset.StandardCharsets;

/**
 * RDE^O11 pharmacy orders for one patient, as a pharmacy system sends them: ORC-1 the order control, TQ1 the timing
 * (3 repeat pattern, 4 explicit times, 7 start, 8 end).
 *
 * @param patientId PID-3, under authority EPI
 * @param given     PID-5.2 (the family name is DOE)
 * @param phone     PID-13, a mobile (CP)
 */
public record Rde(String patientId, String given, String phone) {

    /**
     * @param control ORC-1: NW, XO, DC...
     * @param placer  ORC-2, the order's id
     * @param repeat  TQ1-3 (BID, QID...)
     * @param start   TQ1-7, YYYYMMDD[HHMM]
     * @param end     TQ1-8, or "" for none
     */
    public byte[] order(String controlId, String control, String placer, String repeat, String start, String end) {
        return ("MSH|^~\\&|EPIC|EPICRX|CARELOOP|MERCY|20261201080000||RDE^O11^RDE_O11|" + controlId + "|P|2.5\r"
                + "PID|1||" + patientId + "^^^EPI^MR||DOE^" + given + "||19800102|F|||||^PRN^CP^^^^^^^^^" + phone
                + "||ENG\r"
                + "ORC|" + control + "|" + placer + "^EPIC|" + placer + "F^PHARM||IP\r"
                + "RXE|^" + repeat + "|197361^Amlodipine 5 MG Oral Tablet^RXNORM|1||TAB^tablet\r"
                + "TQ1|1||" + repeat + "||||" + start + "|" + end + "\r").getBytes(StandardCharsets.UTF_8);
    }
}
