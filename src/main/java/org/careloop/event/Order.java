package org.careloop.event;

import java.util.List;

/**
 * A results report or a medication order, to the level of its ids: CareLoop tells patients that results are
 * ready, never what they are.
 *
 * @param placerId ORC-2 / OBR-2
 * @param fillerId ORC-3 / OBR-3
 * @param code     OBR-4 (test) or RXE-2 (medication)
 * @param status   OBR-25 result status (F final, P preliminary, C corrected...) or ORC-5 order status
 * @param groupId  ORC-4, the placer group number: the orders a clinician placed together
 * @param tests    for a results report, each OBR (FHIR: the DiagnosticReport) with its own section and status
 * @param dosing   for a medication order, when it is taken; else null
 */
public record Order(String placerId, String fillerId, Coded code, String status, String groupId,
        List<ReportedTest> tests, Dosing dosing) {

    public Order {
        tests = tests == null ? List.of() : List.copyOf(tests); // events stored before tests were read have none
        groupId = groupId == null ? "" : groupId;
    }

    /**
     * One test of a results report.
     *
     * @param test    OBR-4 (FHIR DiagnosticReport.code)
     * @param section OBR-24, the diagnostic service section (LAB, MB, SP...; FHIR DiagnosticReport.category)
     * @param status  OBR-25 (table 0123: F final, C corrected, P preliminary...); FHIR statuses are read into these
     */
    public record ReportedTest(Coded test, String section, String status) {
    }
}
