package org.careloop.testing;

import java.nio.charset.StandardCharsets;

/**
 * ORU^R01 results reports about one patient, as a lab system sends them: one OBR per report, with the visit (PV1-19)
 * and the placer group (ORC-4) that group reports into one notice, and an OBX whose value no notice may show.
 *
 * @param patientId PID-3, under authority EPI
 * @param given     PID-5.2 (the family name is DOE)
 * @param phone     PID-13, a mobile (CP)
 * @param birthDate PID-7, YYYYMMDD
 */
public record Oru(String patientId, String given, String phone, String birthDate) {

    /** A test as OBR-4 names it, with its diagnostic service section (OBR-24). */
    public record Test(String code, String name, String section) {
    }

    public static final Test LIPID_PANEL = new Test("24331-1", "Lipid panel", "CH");
    public static final Test BLOOD_COUNT = new Test("58410-2", "CBC panel", "HM");
    public static final Test HIV_SCREEN = new Test("75622-1", "HIV 1+2 Ag+Ab", "SR");
    public static final Test BIOPSY = new Test("22634-0", "Pathology report", "SP");

    /**
     * One report.
     *
     * @param visit  PV1-19, or "" for none
     * @param filler OBR-3, the report's id at the lab
     * @param status OBR-25 and OBX-11 (F, P, C...)
     */
    public byte[] report(String controlId, String visit, String filler, Test test, String status) {
        String obr = "OBR|1|P" + filler + "^EPIC|" + filler + "^LAB|" + test.code() + "^" + test.name() + "^LN|||"
                + "20261210080000" + "|".repeat(17) + test.section() + "|" + status;
        return ("MSH|^~\\&|EPIC|MERCY_LAB|CARELOOP|MERCY|20261210100000||ORU^R01^ORU_R01|" + controlId + "|P|2.5.1\r"
                + "PID|1||" + patientId + "^^^EPI^MR||DOE^" + given + "||" + birthDate + "|F|||||^PRN^CP^^^^^^^^^"
                + phone + "||ENG\r"
                + (visit.isEmpty() ? "" : "PV1|1|O|LAB^^^MERCY" + "|".repeat(16) + visit + "\r")
                + "ORC|RE|P" + filler + "^EPIC|" + filler + "^LAB|G-" + filler + "\r"
                + obr + "\r"
                + "OBX|1|ST|" + test.code() + "^" + test.name() + "^LN||VALUE-NEVER-SHOWN||||||" + status + "\r")
                .getBytes(StandardCharsets.UTF_8);
    }
}
