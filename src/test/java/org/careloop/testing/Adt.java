package org.careloop.testing;

import java.nio.charset.StandardCharsets;

/**
 * ADT messages about one patient, as a registration feed sends them: an update (A08) and a discharge (A03).
 *
 * @param patientId PID-3, under authority EPI
 * @param given     PID-5.2 (the family name is DOE)
 * @param phone     PID-13, a mobile (CP)
 * @param language  PID-15 as sent
 */
public record Adt(String patientId, String given, String phone, String language) {

    /** An A08 with PID-30 (death indicator) as given: "Y", "N" or "". */
    public byte[] updated(String controlId, String deathIndicator) {
        return message("A08", controlId, deathIndicator, "PV1|1|O\r");
    }

    /** An A03 with PV1-36 (discharge disposition) as given. */
    public byte[] discharged(String controlId, String disposition) {
        return message("A03", controlId, "", "PV1|1|I|4WEST^412^B^MERCY||||||||||||||||V" + controlId
                + "|||||||||||||||||" + disposition + "||||||||20261201080000|20261210120000\r");
    }

    /** An A03 from visit {@code visit}, home (PV1-36 01), discharged on Thursday 10 December 2026 at 12:00. */
    public byte[] dischargedFrom(String controlId, String visit) {
        return message("A03", controlId, "", visit(visit, "01", "20261210120000"));
    }

    /** An event about visit {@code visit} that is no discharge: A01 (admitted), A11 or A13 (cancelled). */
    public byte[] visitEvent(String trigger, String controlId, String visit) {
        return message(trigger, controlId, "", visit(visit, "", ""));
    }

    private static String visit(String visit, String disposition, String discharged) {
        return "PV1|1|I|4WEST^412^B^MERCY||||||||||||||||" + visit + "|||||||||||||||||" + disposition
                + "||||||||20261201080000|" + discharged + "\r";
    }

    private byte[] message(String trigger, String controlId, String deathIndicator, String pv1) {
        return ("MSH|^~\\&|EPIC|EPICADT|CARELOOP|MERCY|20261201080000||ADT^" + trigger + "|" + controlId + "|P|2.5\r"
                + "EVN|" + trigger + "|20261201080000\r"
                + "PID|1||" + patientId + "^^^EPI^MR||DOE^" + given + "||19800102|F|||||^PRN^CP^^^^^^^^^" + phone + "||"
                + language + "|||||||||||||||" + deathIndicator + "\r"
                + pv1).getBytes(StandardCharsets.UTF_8);
    }
}
